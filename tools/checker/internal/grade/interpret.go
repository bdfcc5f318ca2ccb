package grade

import (
	"strings"

	"github.com/wsfromtcp/workshop/tools/checker/internal/gotest"
	"github.com/wsfromtcp/workshop/tools/wstest"
)

// Interpret grades the top-level tests that finished in one run of a test
// binary. Tests in names that have no terminal event did not run (the
// program died first, or was not asked to run them) and are left out of the
// result, so that the caller can run them again.
func Interpret(names []string, events []gotest.Event) map[string]Check {
	output := map[string][]logLine{} // test name (with subtest) → its log
	terminal := map[string]gotest.Action{}
	var subtests = map[string][]string{} // top-level → subtest names in order
	var pkgOutput []string
	for _, e := range events {
		switch {
		case e.Test == "" && e.Action == gotest.Output:
			pkgOutput = append(pkgOutput, e.Output)
		case e.Action == gotest.Attr && e.Key == wstest.FailureAttr:
			// A failure whose attribute does not decode is told by its
			// text, which follows.
			if f, err := wstest.ParseFailure(e.Value); err == nil {
				output[e.Test] = append(output[e.Test], logLine{failure: &f})
			}
		case e.Action == gotest.Output:
			output[e.Test] = append(output[e.Test], logLine{text: e.Output})
			// A framing line glued to megabytes of output printed without
			// a newline reaches test2json as more output, not as the
			// test's end. A failure said that way still counts; a pass
			// is believed only from a real pass event.
			if strings.HasPrefix(e.Output, "\x16--- FAIL: "+e.Test+" (") {
				terminal[e.Test] = gotest.Fail
			}
		case e.Action == gotest.Run && e.Test != e.TopLevel():
			top := e.TopLevel()
			subtests[top] = append(subtests[top], e.Test)
		case e.Terminal() && e.Test != "":
			terminal[e.Test] = e.Action
		}
	}

	checks := map[string]Check{}
	for _, name := range names {
		action, ok := terminal[name]
		if !ok {
			continue
		}
		c := Check{Test: name, Sentence: Sentence(name), Cases: len(subtests[name])}
		all := texts(output[name])
		for _, sub := range subtests[name] {
			all = append(all, texts(output[sub])...)
		}
		switch action {
		case gotest.Pass, gotest.Skip:
			// A skipped test is not a passed check: skipping must never grade.
			if action == gotest.Skip {
				c.Status = Failed
				c.Failures = []Failure{{Message: "this check was skipped, so it cannot count as passed: " + lastMessage(output[name])}}
				break
			}
			c.Status = Passed
		case gotest.Fail:
			// A panic or timeout kills the whole program; test2json puts the
			// dump in the output of the test that was running, and of the
			// package when no test was.
			p, hung := findPanic(name, append(all, pkgOutput...))
			switch {
			case hung:
				c.Status, c.Panic = Hung, p
			case p != nil && p.Value != "" && isFatal(p.Value):
				c.Status, c.Panic = Crashed, p
			case p != nil:
				c.Status, c.Panic = Panicked, p
			default:
				c.Status = Failed
			}
			c.Failures = failures(name, subtests[name], output, terminal)
		}
		checks[name] = c
	}
	return checks
}

func isFatal(value string) bool {
	return len(value) >= len("fatal error: ") && value[:len("fatal error: ")] == "fatal error: "
}

// failures collects the failed assertions of a test and of each failed
// subtest, each subtest's labelled with its sentence.
func failures(name string, subs []string, output map[string][]logLine, terminal map[string]gotest.Action) []Failure {
	out := parseFailures(output[name])
	for _, sub := range subs {
		if terminal[sub] != gotest.Fail {
			continue
		}
		fs := parseFailures(output[sub])
		if len(fs) == 0 && hasChildFailure(sub, subs, terminal) {
			continue // the failure is reported by a deeper subtest
		}
		if len(fs) == 0 {
			fs = []Failure{{}}
		}
		for i := range fs {
			fs[i].Case = Sentence(sub)
		}
		out = append(out, fs...)
	}
	return out
}

func hasChildFailure(sub string, subs []string, terminal map[string]gotest.Action) bool {
	for _, s := range subs {
		if len(s) > len(sub) && s[:len(sub)+1] == sub+"/" && terminal[s] == gotest.Fail {
			return true
		}
	}
	return false
}

func lastMessage(log []logLine) string {
	fs := parseFailures(log)
	if len(fs) == 0 {
		return "(no reason given)"
	}
	return fs[len(fs)-1].Message
}

// texts returns the lines of text in a log, for reading panics and dumps.
func texts(log []logLine) []string {
	var out []string
	for _, l := range log {
		if l.failure == nil {
			out = append(out, l.text)
		}
	}
	return out
}
