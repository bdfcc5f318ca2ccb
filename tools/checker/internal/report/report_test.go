package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wsfromtcp/workshop/tools/checker/internal/gotest"
	"github.com/wsfromtcp/workshop/tools/checker/internal/grade"
	"github.com/wsfromtcp/workshop/tools/course"
)

var update = flag.Bool("update", false, "rewrite the golden files from the current output")

// The event streams under testdata/ were recorded from real runs (one
// process per test, as the checker runs them) by testdata/record: step 1's
// tests against the untouched stub, the solution, a Close that forgets to
// hang up, and a Listen that loops forever, and under testdata/later one
// check of a later step for each way a check can end: failing subtests, an
// Example's output, a TODO panic, a hang, a skip, a fuzz target's failing
// seed, and a check that quotes the requirement of RFC 6455 it enforces (a
// step 6 that accepts unmasked frames). compile.jsonl is `go test -c
// -json` on code that does not compile.
func TestReportsMatchTheGoldenFiles(t *testing.T) {
	c := course.MustLoad()
	step1, ok := c.Step(1)
	require.True(t, ok)

	scenarios := map[string]grade.Result{}
	for _, sc := range []string{"stub", "solution", "closehang", "looping"} {
		files, err := filepath.Glob(filepath.Join("testdata", sc, "*.jsonl"))
		require.NoError(t, err)
		require.NotEmpty(t, files, "recorded events for %s", sc)
		res := grade.Result{Step: step1, Target: "steps"}
		for _, f := range files {
			name := strings.TrimSuffix(filepath.Base(f), ".jsonl")
			res.Checks = append(res.Checks, grade.Judge(name, decodeFile(t, f), nil))
		}
		scenarios[sc] = res
	}
	sol := scenarios["solution"]
	sol.Target = "solutions"
	scenarios["solution-reference"] = sol
	scenarios["compile"] = grade.Result{Step: step1, Target: "steps", Build: grade.BuildErrors(decodeFile(t, "testdata/compile.jsonl"))}

	step3 := course.Step{Number: 3, Slug: "03-handshake", Package: "handshake", Title: "Answer the opening handshake", Needs: []int{1, 2}}
	dep := scenarios["stub"]
	dep.Step = step3
	dep.Unfinished = []grade.Dependency{{Step: step1, Passed: 0, Total: len(dep.Checks), Builds: true}}
	scenarios["unfinished-dependency"] = dep

	// Step 3's checks fail on a step 1 that passes its own checks; with
	// the reference step 1 swapped in they pass: the blame falls on step
	// 1, whose checks missed the bug. Step 2 ran out of time while
	// explaining: not judged, not failed.
	blamed := scenarios["closehang"]
	blamed.Step = step3
	step2 := course.Step{Number: 2, Slug: "02-request", Package: "request", Title: "Read an HTTP request head"}
	blamed.Unfinished = []grade.Dependency{{Step: step2, Passed: 9, NotJudged: 2, Total: 13, Builds: true}}
	blamed.Blames = []grade.Blame{{Steps: []course.Step{step1}, Checks: []string{"Close hangs up on open connections"}, Done: true}}
	blamed.Blamed = true
	scenarios["blamed-earlier-step"] = blamed
	unfinishedBlame := blamed
	unfinishedBlame.Blames = []grade.Blame{{Steps: []course.Step{step1, step2}, Checks: []string{"Close hangs up on open connections", "Close is safe to call twice"}}}
	scenarios["blamed-unfinished-steps"] = unfinishedBlame

	// Learner code that calls os.Exit(0) during a check, and a hang in a
	// loop, as the checker grades them (see grade's hostile testdata).
	exit := grade.Result{Step: step1, Target: "steps", Checks: []grade.Check{
		{Test: "TestEchoReturnsWhenTheClientHangsUp", Sentence: "Echo returns when the client hangs up", Status: grade.Panicked,
			Panic: &grade.Panic{Value: "unexpected call to os.Exit(0) during test", Func: "Echo", Location: "echo.go:14", Step: 1}},
		{Test: "TestEchoServerSendsBackWhatItReceives", Sentence: "Echo server sends back what it receives", Status: grade.Panicked,
			Panic: &grade.Panic{Value: "unexpected call to os.Exit(0) during test", Func: "Echo", Location: "echo.go:14", Step: 1}},
		{Test: "TestCloseStopsAcceptingConnections", Sentence: "Close stops accepting connections", Status: grade.Hung,
			Panic: &grade.Panic{Value: "stopped by the checker: it ran much longer than a working solution takes", Func: "(*Server).serve", Location: "server.go:61", Step: 1, Looping: true}},
	}}
	scenarios["exit-and-loop"] = exit

	// Step 12 keeps step 8's behaviour: step 8's checks run on its code
	// (steps.json alsoPasses), listed after its own, and a failing one
	// sends the learner to step 8's file and chapter.
	step12, ok := c.Step(12)
	require.True(t, ok)
	require.NotNil(t, step12.AlsoPasses, "step 12 borrows step 8's checks")
	scenarios["borrowed-check-fails"] = grade.Result{Step: step12, Target: "steps", Checks: []grade.Check{
		{Test: "TestEchoAllocatesNothingPerMessageInASteadyState", Sentence: "Echo allocates nothing per message in a steady state", Status: grade.Passed},
		{Test: "TestEchoSendsMessagesBackToAnIndependentClient", Sentence: "Echo sends messages back to an independent client", Status: grade.Passed, From: 8},
		{Test: "TestAMessageOverTheLimitFailsTheConnectionWith1009", Sentence: "A message over the limit fails the connection with 1009", Status: grade.Failed, From: 8,
			Failures: []grade.Failure{{Message: "waiting for the close frame after a message of two fragments of 60 bytes, the client got a text frame", Location: "steps/08-control/helpers_test.go:168"}}},
	}}

	for sc, n := range map[string]int{"subtests": 4, "example": 8, "panic": 7, "hang": 7, "skip": 5, "fuzz": 8, "unmasked": 6} {
		step, ok := c.Step(n)
		require.True(t, ok)
		files, err := filepath.Glob(filepath.Join("testdata", "later", sc, "*.jsonl"))
		require.NoError(t, err)
		require.Len(t, files, 1, "one recorded check for later/%s", sc)
		name := strings.TrimSuffix(filepath.Base(files[0]), ".jsonl")
		scenarios["later-"+sc] = grade.Result{Step: step, Target: "steps", Checks: []grade.Check{grade.Judge(name, decodeFile(t, files[0]), nil)}}
	}

	for name, res := range scenarios {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			Printer{W: &buf, Course: c}.Step(res)
			golden(t, name, buf.Bytes())
			if name == "later-unmasked" {
				assert.Contains(t, buf.String(), "\n      RFC 6455 §5.1: \"The server MUST close the connection upon receiving a frame that is not masked.\"\n",
					"a failing check quotes, under its ✗, the sentence of RFC 6455 that its tag names (R-5.1-1)")
			}
		})
	}
}

func TestColourIsOffUnlessAsked(t *testing.T) {
	res := grade.Result{Step: course.Step{Number: 1, Package: "accept"}, Checks: []grade.Check{{Sentence: "Works", Status: grade.Passed}}}
	var plain, coloured bytes.Buffer
	Printer{W: &plain}.Step(res)
	Printer{W: &coloured, Color: true}.Step(res)
	assert.NotContains(t, plain.String(), "\x1b[", "a Printer without Color must print no escape codes (NO_COLOR, pipes, CI logs)")
	assert.Contains(t, coloured.String(), "\x1b[", "a Printer with Color must colour its marks")
}

// golden compares got with testdata/name.golden, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "missing golden file; run go test ./tools/checker/internal/report -update")
	assert.Equal(t, string(want), string(got), "the printed output changed; if the change is meant, run go test ./tools/checker/internal/report -update and review the diff")
}

func decodeFile(t *testing.T, path string) []gotest.Event {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	events, err := gotest.Decode(f)
	require.NoError(t, err)
	return events
}
