package grade

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wsfromtcp/workshop/tools/checker/internal/gotest"
	"github.com/wsfromtcp/workshop/tools/course"
	"github.com/wsfromtcp/workshop/tools/wstest"
)

func TestSentenceTurnsTestNamesBackIntoSentences(t *testing.T) {
	cases := map[string]string{
		"TestAcceptKeyMatchesTheRFCSample":             "Accept key matches the RFC sample",
		"TestReadRequestWorksOneByteAtATime":           "Read request works one byte at a time",
		"TestUpgradeAnswers426WithTheSupportedVersion": "Upgrade answers 426 with the supported version",
		"TestTextMustBeValidUTF8":                      "Text must be valid UTF8",
		"ExampleListen":                                "Example: Listen",
		"ExampleServer_Close":                          "Example: Server.Close",
		"FuzzReadFrame":                                "Fuzz: Read frame",
		"TestCheck/rejects_a_POST_request":             "rejects a POST request",
	}
	for name, want := range cases {
		assert.Equal(t, want, Sentence(name), "Sentence(%q)", name)
	}
}

func TestParseFailuresTakesHandedOverFailuresAndPlainText(t *testing.T) {
	log := []logLine{
		{text: "=== RUN   TestX\n"},
		{failure: &wstest.Failure{Message: "the second client gets its own bytes back (RFC 6455 §1.7)", Details: []string{`expected: "ping"`}, At: "x_test.go:42"}},
		{text: "=== ATTR  TestX wstest.failure {}\n"},
		{text: "    x_test.go:42: \n"},
		{text: "        \tError Trace:\t/w/steps/01-accept/x_test.go:42\n"},
		{text: "        \tError:      \tNot equal: \n"},
		{text: "        \tMessages:   \tthe second client gets its own bytes back (RFC 6455 §1.7)\n"},
		{text: "    x_test.go:50: plain t.Errorf text\n"},
		{text: "        on two lines\n"},
		{text: "--- FAIL: TestX (0.00s)\n"},
	}
	got := parseFailures(log)
	require.Len(t, got, 2, "one failure handed over (its printed text is not counted again) and one t.Errorf")
	assert.Equal(t, Failure{Message: "the second client gets its own bytes back (RFC 6455 §1.7)", Details: []string{`expected: "ping"`}, Location: "x_test.go:42"}, got[0])
	assert.Equal(t, Failure{Message: "plain t.Errorf text\non two lines", Location: "x_test.go:50"}, got[1])
}

func TestFindPanicNamesTheLearnersFunction(t *testing.T) {
	dump := strings.Join([]string{
		"panic: TODO(step 3): write AcceptKey [recovered, repanicked]",
		"",
		"goroutine 7 [running]:",
		"testing.tRunner.func1.2({0x5, 0x6})",
		"\t/usr/local/go/src/testing/testing.go:1974 +0x232",
		"github.com/wsfromtcp/workshop/steps/03-handshake.AcceptKey(...)",
		"\t/home/l/workshop/steps/03-handshake/accept.go:21",
		"github.com/wsfromtcp/workshop/steps/03-handshake.TestAcceptKey(0xc0001)",
		"\t/home/l/workshop/steps/03-handshake/accept_test.go:12 +0x25",
		"",
	}, "\n")
	p, hung := findPanic("TestAcceptKey", []string{dump})
	require.NotNil(t, p)
	assert.False(t, hung)
	assert.Equal(t, "TODO(step 3): write AcceptKey", p.Value)
	assert.Equal(t, "AcceptKey", p.Func)
	assert.Equal(t, "accept.go:21", p.Location)
	assert.Equal(t, 3, p.TODO)
	assert.Equal(t, 3, p.Step)
}

func TestFindPanicReportsATimeoutAsAHang(t *testing.T) {
	dump := strings.Join([]string{
		"panic: test timed out after 10s",
		"\trunning tests:",
		"\t\tTestClose (10s)",
		"",
		"goroutine 9 [IO wait]:",
		"github.com/wsfromtcp/workshop/steps/01-accept.Echo({0x1, 0x2})",
		"\t/w/steps/01-accept/echo.go:13 +0x1",
		"",
		"goroutine 8 [semacquire]:",
		"sync.(*WaitGroup).Wait(0x1)",
		"\t/usr/local/go/src/sync/waitgroup.go:118 +0x1",
		"github.com/wsfromtcp/workshop/steps/01-accept.(*Server).Close(0x1)",
		"\t/w/steps/01-accept/server.go:88 +0x1",
		"github.com/wsfromtcp/workshop/steps/01-accept.TestClose(0x1)",
		"\t/w/steps/01-accept/server_test.go:20 +0x1",
		"",
	}, "\n")
	p, hung := findPanic("TestClose", []string{dump})
	require.NotNil(t, p)
	assert.True(t, hung)
	assert.Equal(t, "(*Server).Close", p.Func, "the goroutine running the test shows where it is stuck, not a handler parked in Read")
	assert.Equal(t, "server.go:88", p.Location)
}

func TestTestNamesFindsWhatGoTestRuns(t *testing.T) {
	names, err := TestNames("testdata/hostile/steps/01-fake")
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{
		"TestPassesFirst", "TestCallsOsExitZero", "TestCallsOsExitThree", "TestPrintsAFloodOfOutput",
		"TestSpinsForever", "TestCleanupWaitsForABlockedHandler", "TestReachesATODO", "TestPassesLast", "TestFailsPlainly",
		"TestFailsWithAMultiLineErrorf", "TestHandsOverItsFailure",
	}, names, "the checks of a step that does not compile are counted from its test files")
}

// TestHostileTestsAreGradedForWhatTheyDid builds a test binary whose tests
// misbehave the way learner code can, runs it as the checker does, and
// checks each verdict: nothing that did not pass may count as passed.
func TestHostileTestsAreGradedForWhatTheyDid(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a test binary")
	}
	root, err := filepath.Abs("testdata/hostile")
	require.NoError(t, err)
	ctx := context.Background()
	bin, events, err := gotest.Build(ctx, root, "steps/01-fake", "", t.TempDir())
	require.NoError(t, err)
	require.NotNil(t, bin, "the hostile package must compile: %v", events)
	names, err := bin.List(ctx)
	require.NoError(t, err)
	budget := Budget{Total: 2 * time.Minute, PerTest: 4 * time.Second, Parallel: 2}
	checks := run(ctx, bin, names, budget, true)
	got := map[string]Check{}
	for _, c := range checks {
		got[c.Test] = c
	}
	// A goroutine that is running on another thread when the test times
	// out is printed as "stack unavailable": on a busy machine the
	// runtime may not show the loop at all. The checker names it when the
	// runtime shows it; give the runtime three chances.
	for range 2 {
		if spin := got["TestSpinsForever"]; spin.Status != Hung || spin.Panic == nil || spin.Panic.Func != "" {
			break
		}
		got["TestSpinsForever"] = run(ctx, bin, []string{"TestSpinsForever"}, budget, true)[0]
	}

	assert.Equal(t, Passed, got["TestPassesFirst"].Status)
	assert.Equal(t, Passed, got["TestPassesLast"].Status, "a crash or a hang before it must not take this test down")

	exit0 := got["TestCallsOsExitZero"]
	assert.NotEqual(t, Passed, exit0.Status, "os.Exit(0) during a test must never pass")
	if assert.NotNil(t, exit0.Panic) {
		assert.Contains(t, exit0.Panic.Value, "os.Exit(0)")
	}

	for _, want := range []struct {
		test    string
		status  Status
		panic   *Panic    // Func, Looping and TODO, when the check died
		first   *Failure  // the first failure, when only it matters
		all     []Failure // every failure, when they all matter
		because string
	}{
		{test: "TestCallsOsExitThree", status: Crashed},
		{test: "TestPrintsAFloodOfOutput", status: Failed, first: &Failure{Message: "the teaching message comes first", Location: "fake_test.go:15"},
			because: "a flood of output must not push the teaching message out"},
		{test: "TestSpinsForever", status: Hung, panic: &Panic{Func: "Spin", Looping: true}, because: "a hang names the function that loops"},
		{test: "TestCleanupWaitsForABlockedHandler", status: Hung, panic: &Panic{Func: "Block"},
			because: "a hang in cleanup names the learner's goroutine cleanup waits for, not the cleanup"},
		{test: "TestReachesATODO", status: Panicked, panic: &Panic{Func: "Todo", TODO: 1},
			because: "a panic takes the process down, and is still a panic, not a crash"},
		{test: "TestFailsPlainly", status: Failed, all: []Failure{{Message: "a plain failure", Location: "fake_test.go:35"}}},
		{test: "TestFailsWithAMultiLineErrorf", status: Failed,
			all:     []Failure{{Message: "the server must answer 101 Switching Protocols\n(RFC 6455 §4.2.2)", Location: "fake_test.go:40"}},
			because: "a t.Errorf message is kept whole, every line of it: grading must not depend on an assertion library's layout"},
		{test: "TestHandsOverItsFailure", status: Failed, all: []Failure{
			{Message: "a server must not mask (RFC 6455 §5.1)", Details: []string{"expected: 0x00", "actual  : 0x80"}, Location: "fake_test.go:50"},
			{Case: "in a subtest too", Message: "the length must be minimal (RFC 6455 §5.2)"},
		}, because: "each failure handed over as an attribute counts once, not again for its text"},
	} {
		c := got[want.test]
		assert.Equal(t, want.status, c.Status, "%s: %s", want.test, want.because)
		if want.panic != nil && assert.NotNil(t, c.Panic, "%s must say where it stopped", want.test) {
			assert.Equal(t, *want.panic, Panic{Func: c.Panic.Func, Looping: c.Panic.Looping, TODO: c.Panic.TODO}, "%s: %s", want.test, want.because)
		}
		if want.first != nil && assert.NotEmpty(t, c.Failures, want.test) {
			assert.Equal(t, *want.first, c.Failures[0], "%s: %s", want.test, want.because)
		}
		if want.all != nil {
			assert.Equal(t, want.all, c.Failures, "%s: %s", want.test, want.because)
		}
	}
}

func TestAFailingExampleSaysWhatItGotAndWhatItWanted(t *testing.T) {
	output := []string{
		"=== RUN   ExampleParseClose\n",
		"--- FAIL: ExampleParseClose (0.00s)\n",
		"got:\n", "1000 \"bye\"\n", "error: short\n",
		"want:\n", "1000 \"bye\"\n", "error: close: payload of 1 byte\n",
	}
	got := parseFailures(lines(output...))
	require.Len(t, got, 1, "one failure: the output differs")
	assert.Contains(t, got[0].Message, "first at line 2 of 2")
	assert.Equal(t, []string{`got:  "error: short"`, `want: "error: close: payload of 1 byte"`}, got[0].Details)

	shorter := parseFailures(lines("got:\n", "a\n", "want:\n", "a\n", "b\n"))
	require.Len(t, shorter, 1)
	assert.Equal(t, []string{"got:  nothing more", `want: "b"`}, shorter[0].Details, "missing lines are said to be missing")
}

func TestAnExampleThatPrintedNothingSaysSo(t *testing.T) {
	got := parseFailures(lines("--- FAIL: ExampleHub (0.00s)\n", "got:\n", "want:\n", "joined\n"))
	require.Len(t, got, 1)
	assert.Equal(t, []string{"got:  nothing more", `want: "joined"`}, got[0].Details)
}

// lines makes a log of plain output lines.
func lines(text ...string) []logLine {
	out := make([]logLine, len(text))
	for i, l := range text {
		out[i] = logLine{text: l}
	}
	return out
}

func TestABorrowedCheckRunsAfterTheStepsOwnAndPointsAtItsOwnFile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a test binary")
	}
	root, err := filepath.Abs("testdata/borrow")
	require.NoError(t, err)
	step := course.Step{Number: 2, Slug: "02-later", Package: "later",
		AlsoPasses: &course.Rerun{Step: 1, Slug: "01-early", Files: []string{"early_test.go"}}}
	res, err := Step(context.Background(), step, Options{Root: root, Tmp: t.TempDir(),
		Budget: Budget{Total: time.Minute, PerTest: 10 * time.Second, Parallel: 2}})
	require.NoError(t, err)
	require.True(t, res.Compiles(), "step 1's test compiles into step 2's package: %v", res.Build)
	require.Len(t, res.Checks, 2, "step 2's own check and step 1's")

	own, borrowed := res.Checks[0], res.Checks[1]
	assert.Equal(t, "TestGreetingSaysHello", own.Test, "the step's own checks come first, so that its first ✗ is its own")
	assert.Equal(t, Passed, own.Status)
	assert.Zero(t, own.From)

	assert.Equal(t, "TestTheAnswerIsFortyTwo", borrowed.Test)
	assert.Equal(t, 1, borrowed.From, "a borrowed check says whose it is")
	assert.Equal(t, Failed, borrowed.Status, "step 2's Answer drifted from step 1's")
	if assert.NotEmpty(t, borrowed.Failures) {
		assert.Equal(t, "steps/01-early/early_test.go:7", borrowed.Failures[0].Location,
			"the failure points at the file the learner can open, not at the compiled copy")
		assert.Contains(t, borrowed.Failures[0].Message, "Answer() = 41, want 42")
	}
}
