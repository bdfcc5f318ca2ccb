package main

import (
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// progressLine is the line go's fuzzing engine prints every few seconds:
// "fuzz: elapsed: 3s, execs: 197498 (65769/sec), new interesting: 0 (total: 1)".
var progressLine = regexp.MustCompile(`^fuzz: elapsed: (\S+), execs: (\d+) \((\d+)/sec\)(?:, new interesting: (\d+))?`)

// progress is what one progress line says.
type progress struct {
	elapsed     time.Duration
	execs       int64
	perSec      int64
	interesting int // inputs that reached new code, beyond the seed corpus
}

// parseProgress reads a progress line, and reports false for any other.
func parseProgress(line string) (progress, bool) {
	m := progressLine.FindStringSubmatch(line)
	if m == nil {
		return progress{}, false
	}
	var p progress
	var err error
	if p.elapsed, err = time.ParseDuration(m[1]); err != nil {
		return progress{}, false
	}
	p.execs, _ = strconv.ParseInt(m[2], 10, 64)
	p.perSec, _ = strconv.ParseInt(m[3], 10, 64)
	p.interesting, _ = strconv.Atoi(m[4])
	return p, true
}

// outcome is what one `go test -fuzz` run printed, read line by line.
type outcome struct {
	last        progress // the last progress line
	crasher     string   // the failing input's file, relative to the package: testdata/fuzz/FuzzX/hash
	rerun       string   // the -run pattern go suggests for it: FuzzX/hash
	seed        string   // the seed corpus entry that failed before fuzzing began: FuzzX/seed#0
	buildFailed bool     // the package or its tests did not compile
	noTarget    bool     // go found no fuzz target of that name
	passed      bool     // go printed its final ok
	failure     []string // the failure report, from the first "--- FAIL" on, or the compiler's errors
}

// feed reads one line of go's output. It returns the line's progress, if
// it is a progress line.
func (o *outcome) feed(line string) (progress, bool) {
	if p, ok := parseProgress(line); ok {
		o.last = p
		return p, true
	}
	trimmed := strings.TrimSpace(line)
	switch {
	case strings.HasPrefix(trimmed, "Failing input written to "):
		o.crasher = strings.TrimPrefix(trimmed, "Failing input written to ")
	case strings.HasPrefix(trimmed, "go test -run="):
		o.rerun = strings.TrimPrefix(trimmed, "go test -run=")
	case strings.HasPrefix(trimmed, "failure while testing seed corpus entry: "):
		o.seed = strings.TrimPrefix(trimmed, "failure while testing seed corpus entry: ")
	case strings.HasPrefix(trimmed, "testing: warning: no fuzz tests to fuzz"):
		o.noTarget = true
	case strings.HasPrefix(trimmed, "FAIL") && strings.HasSuffix(trimmed, "[build failed]"):
		o.buildFailed = true
	case strings.HasPrefix(trimmed, "ok "):
		o.passed = true
	case strings.HasPrefix(line, "--- FAIL"), strings.HasPrefix(line, "# "), len(o.failure) > 0:
		// The failure report, or the compiler's errors, to its end.
		o.failure = append(o.failure, line)
	}
	return progress{}, false
}

// reason is the first line of the failure's own message: the panic, or
// what the fuzz function reported with its file:line, or the compiler's
// first error.
func (o *outcome) reason() string {
	for _, l := range o.failure {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "--- FAIL") || strings.HasPrefix(l, "#") {
			continue
		}
		if file, msg, ok := strings.Cut(l, ": "); ok && strings.Contains(file, ".go:") && !strings.Contains(file, " ") {
			if strings.HasPrefix(file, "testing.go:") {
				return msg // a panic, which the testing package reports
			}
			return l
		}
		return l
	}
	return ""
}

// target is one fuzz target of a step.
type target struct {
	name string // FuzzReadFrame
	step int    // 4
	dir  string // steps/04-frame-decode, relative to the repository root
}

// verdict is the checker-style line for a finished run: ✓ or ✗, what
// happened, and what to do next.
func (o *outcome) verdict(t target) (line string, ok bool) {
	switch {
	case o.crasher != "":
		input := path.Join(t.dir, o.crasher)
		rerun := o.rerun
		if rerun == "" {
			rerun = t.name + "/" + path.Base(o.crasher)
		}
		return fmt.Sprintf("✗ %s: crasher found — input saved in %s; run make step%d to see it fail, go test -run %s ./%s/ to debug",
			t.name, input, t.step, rerun, t.dir), false
	case o.buildFailed:
		return fmt.Sprintf("✗ %s: the tests of step %d do not compile; run make step%d to see why", t.name, t.step, t.step), false
	case o.seed != "":
		return fmt.Sprintf("✗ %s: the seed input %s fails before any fuzzing: finish the step first (make step%d)", t.name, o.seed, t.step), false
	case o.noTarget:
		return fmt.Sprintf("✗ %s: go found no fuzz target of that name in %s", t.name, t.dir), false
	case o.passed:
		return fmt.Sprintf("✓ %s: %s execs in %s, no crasher", t.name, thousands(o.last.execs), o.last.elapsed), true
	}
	return fmt.Sprintf("✗ %s: go test stopped after %s execs without a verdict", t.name, thousands(o.last.execs)), false
}

// thousands writes n with a space between groups of three digits:
// 1 234 567.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	return b.String()
}
