package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The files in testdata are what go test -fuzz printed, recorded: on step 4
// (a reference copy that passes, one with an out-of-range index, the
// untouched stub, a file that does not compile), and on a scratch package
// whose fuzz function calls t.Fatalf (crash-fatal.txt) or that has no
// such target (no-target.txt).
func TestVerdictsFromRecordedGoOutput(t *testing.T) {
	step4 := target{name: "FuzzReadFrame", step: 4, dir: "steps/04-frame-decode"}
	cases := []struct {
		file, want, reason string
		target             target
		ok                 bool
	}{
		{"pass.txt", "✓ FuzzReadFrame: 37 897 execs in 9s, no crasher", "", step4, true},
		{"crash-panic.txt", "✗ FuzzReadFrame: crasher found — input saved in steps/04-frame-decode/testdata/fuzz/FuzzReadFrame/d6cda3d80f8c54d6; " +
			"run make step4 to see it fail, go test -run FuzzReadFrame/d6cda3d80f8c54d6 ./steps/04-frame-decode/ to debug",
			"panic: runtime error: index out of range [48] with length 0", step4, false},
		{"seed-fails.txt", "✗ FuzzReadFrame: the seed input FuzzReadFrame/seed#1 fails before any fuzzing: finish the step first (make step4)",
			"panic: TODO(step 4): write ReadFrame", step4, false},
		{"build-failed.txt", "✗ FuzzReadFrame: the tests of step 4 do not compile; run make step4 to see why",
			"steps/04-frame-decode/zz.go:2:28: undefined: undefinedName", step4, false},
		{"crash-fatal.txt", "✗ FuzzFatal: crasher found — input saved in steps/02-request/testdata/fuzz/FuzzFatal/e82324bb2397cde1; " +
			"run make step2 to see it fail, go test -run FuzzFatal/e82324bb2397cde1 ./steps/02-request/ to debug",
			`fz_test.go:28: Parse("000") returned no error and no request`, target{name: "FuzzFatal", step: 2, dir: "steps/02-request"}, false},
		{"no-target.txt", "✗ FuzzNope: go found no fuzz target of that name in steps/02-request", "",
			target{name: "FuzzNope", step: 2, dir: "steps/02-request"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tc.file))
			require.NoError(t, err)
			var o outcome
			for line := range strings.Lines(string(data)) {
				o.feed(strings.TrimSuffix(line, "\n"))
			}
			got, ok := o.verdict(tc.target)
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.ok, ok)
			if !tc.ok {
				assert.Equal(t, tc.reason, o.reason())
			}
		})
	}
}

func TestProgressLinesAreParsedAndOthersAreNot(t *testing.T) {
	p, ok := parseProgress("fuzz: elapsed: 1m3s, execs: 1234567 (19596/sec), new interesting: 4 (total: 33)")
	require.True(t, ok)
	assert.Equal(t, progress{elapsed: 63 * time.Second, execs: 1234567, perSec: 19596, interesting: 4}, p)

	p, ok = parseProgress("fuzz: elapsed: 3s, execs: 100 (33/sec)") // no coverage instrumentation
	require.True(t, ok)
	assert.Equal(t, int64(100), p.execs)

	for _, line := range []string{
		"fuzz: elapsed: 0s, gathering baseline coverage: 0/29 completed",
		"fuzz: elapsed: 1s, minimizing",
		"PASS",
	} {
		_, ok := parseProgress(line)
		assert.False(t, ok, line)
	}
}

func TestThousandsAreGroupedByThree(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1 000", 1234567: "1 234 567", 100000: "100 000"} {
		assert.Equal(t, want, thousands(n))
	}
}
