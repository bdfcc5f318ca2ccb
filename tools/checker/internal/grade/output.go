package grade

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/wsfromtcp/workshop/tools/checker/internal/layout"
	"github.com/wsfromtcp/workshop/tools/wstest"
)

// logEntry matches the first line of a t.Log/t.Error entry, which the
// testing package indents by four spaces per level: "    x_test.go:42: text".
var logEntry = regexp.MustCompile(`^(\s*)([\w.-]+\.go):(\d+): ?(.*)$`)

// framing matches the lines the testing package adds around each test,
// which say nothing the events do not already say.
var framing = regexp.MustCompile(`^\s*(=== (RUN|PAUSE|CONT|NAME|ATTR)|--- (PASS|FAIL|SKIP):|PASS$|FAIL$|ok\s|FAIL\s)`)

// logLine is one line of a test's output, or a failure the test handed
// the checker as a test attribute (wstest.FailureAttr).
type logLine struct {
	text    string
	failure *wstest.Failure
}

// parseFailures reads a test's log and returns each failure it reports.
// A step test's assertion hands over its teaching message, details and
// place as an attribute, just before the text it prints for people; that
// text is then skipped. Any other entry of the log (t.Errorf, t.Fatal,
// t.Skip, a learner's own assertion library) is a failure whose message is
// its text, as the testing package wrote it after "file.go:42: ". Nothing
// here knows how testify lays out its text.
func parseFailures(log []logLine) []Failure {
	if f, ok := exampleFailure(texts(log)); ok {
		return []Failure{f}
	}
	var out []Failure
	var cur *Failure    // the entry whose continuation lines are being read
	handedOver := false // an attribute said this entry's failure already
	skipping := false   // reading the continuation of a handed-over entry
	indent := 0
	for _, l := range log {
		if l.failure != nil {
			out = append(out, Failure{Message: l.failure.Message, Details: l.failure.Details, Location: l.failure.At})
			cur, handedOver, skipping = nil, true, false
			continue
		}
		line := strings.TrimRight(l.text, "\n")
		if framing.MatchString(line) {
			continue
		}
		if m := logEntry.FindStringSubmatch(line); m != nil && (cur == nil && !skipping || len(m[1]) <= indent) {
			indent = len(m[1])
			if handedOver {
				cur, handedOver, skipping = nil, false, true
				continue
			}
			out = append(out, Failure{Location: m[2] + ":" + m[3], Message: strings.TrimSpace(m[4])})
			cur, skipping = &out[len(out)-1], false
			continue
		}
		if cur == nil || skipping {
			continue
		}
		if text := strings.TrimSpace(line); text != "" {
			if cur.Message != "" {
				cur.Message += "\n"
			}
			cur.Message += text
		}
	}
	return out
}

// exampleFailure reads what the testing package prints for an Example whose
// output is not what its // Output: comment says: "got:", the lines
// printed, "want:", the lines expected. It says where they first differ.
func exampleFailure(output []string) (Failure, bool) {
	var got, want []string
	var cur *[]string
	seen := false
	for _, raw := range output {
		line := strings.TrimRight(raw, "\n")
		switch {
		case line == "got:" && cur == nil:
			cur, seen = &got, true
		case line == "want:" && cur == &got:
			cur = &want
		case framing.MatchString(line):
			if cur == &want {
				cur = nil
			}
		case cur != nil:
			*cur = append(*cur, line)
		}
	}
	if !seen {
		return Failure{}, false
	}
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	at := func(lines []string) string {
		if i < len(lines) {
			return strconv.Quote(lines[i])
		}
		return "nothing more"
	}
	return Failure{
		Message: fmt.Sprintf("the example printed something other than its // Output: comment says, first at line %d of %d expected", i+1, len(want)),
		Details: []string{"got:  " + at(got), "want: " + at(want)},
	}, true
}

// stackFrame is a function line of a goroutine dump followed by its
// "\tfile:line +0x.." line.
type stackFrame struct {
	Func string // fully qualified, without arguments
	File string
	Line int
}

var todoPanic = regexp.MustCompile(`TODO\(step (\d+)\)`)

// findPanic looks through a test's output for a panic, a test timeout, a
// stop by the checker's watchdog (SIGQUIT) or a fatal runtime error, and
// names the workshop function that matters: for a panic, the one at the top
// of the panicking goroutine; for a hang, the one that loops, else the one
// that waits (see culprit).
func findPanic(test string, output []string) (p *Panic, hung bool) {
	text := strings.Join(output, "")
	var value string
	switch {
	case strings.Contains(text, "panic: test timed out after"):
		hung = true
		value = firstLine(text[strings.Index(text, "panic: test timed out after")+len("panic: "):])
	case strings.Contains(text, "SIGQUIT: quit"):
		hung = true
		value = "stopped by the checker: it ran much longer than a working solution takes"
	case strings.Contains(text, "\npanic: ") || strings.HasPrefix(text, "panic: "):
		i := strings.Index(text, "panic: ")
		if j := strings.Index(text, "\npanic: "); j >= 0 && (i < 0 || j+1 < i) {
			i = j + 1
		}
		value = firstLine(text[i+len("panic: "):])
		value = strings.TrimSuffix(value, " [recovered, repanicked]")
		value = strings.TrimSuffix(value, " [recovered]")
		value = strings.TrimSuffix(strings.TrimPrefix(value, `"`), `"`)
	case strings.Contains(text, "fatal error: "):
		value = firstLine(text[strings.Index(text, "fatal error: "):])
	default:
		return nil, false
	}
	p = &Panic{Value: value}
	if m := todoPanic.FindStringSubmatch(value); m != nil {
		p.TODO, _ = strconv.Atoi(m[1])
	}
	stacks := goroutines(text)
	if hung {
		stacks, p.Looping = culprit(test, stacks)
	}
	for _, g := range stacks {
		if f, ok := workshopFrame(g.frames); ok {
			p.Func = shortFunc(f.Func)
			p.Location = fileBase(f.File) + ":" + strconv.Itoa(f.Line)
			p.Step, _ = layout.StepOf(f.File)
			break
		}
	}
	return p, hung
}

// goroutine is one goroutine of a dump: its state ("running", "chan
// receive", …) and its frames, innermost first.
type goroutine struct {
	state  string
	frames []stackFrame
}

// culprit orders the goroutines of a hung test so that the one to blame
// comes first, and says whether it is looping:
//  1. a goroutine running the learner's code at the moment of the dump: a
//     loop that never ends;
//  2. when the test itself is in its cleanup (closing a server, say), the
//     learner's goroutines that cleanup waits for: a handler that never
//     returns is the story, not Close that waits for it;
//  3. the goroutine running the test, then the rest.
func culprit(test string, stacks []goroutine) ([]goroutine, bool) {
	for i, g := range stacks {
		if (g.state == "running" || g.state == "runnable") && len(g.frames) > 0 {
			if f, ok := firstNonRuntime(g.frames); ok && inStep(f.File) && !strings.HasSuffix(f.File, "_test.go") {
				return append([]goroutine{stacks[i]}, append(stacks[:i:i], stacks[i+1:]...)...), true
			}
		}
	}
	var runner, others []goroutine
	inCleanup := false
	for _, g := range stacks {
		runsTest := false
		for _, f := range g.frames {
			if test != "" && (strings.HasSuffix(f.Func, "."+test) || strings.Contains(f.Func, "."+test+".func")) {
				runsTest = true
			}
			if strings.HasPrefix(f.Func, "testing.(*common).Cleanup") || strings.HasPrefix(f.Func, "testing.(*common).runCleanup") {
				inCleanup = true
			}
		}
		if runsTest {
			runner = append(runner, g)
		} else {
			others = append(others, g)
		}
	}
	if inCleanup {
		return append(others, runner...), false
	}
	return append(runner, others...), false
}

func firstNonRuntime(frames []stackFrame) (stackFrame, bool) {
	for _, f := range frames {
		if !strings.HasPrefix(f.Func, "runtime.") {
			return f, true
		}
	}
	return stackFrame{}, false
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return strings.TrimSpace(line)
}

// goroutines splits a dump into its goroutines, in the order listed (the
// panicking goroutine first).
func goroutines(text string) []goroutine {
	var all []goroutine
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		if !strings.HasPrefix(lines[i], "goroutine ") {
			continue
		}
		var g goroutine
		// "goroutine 7 [chan receive, 2 minutes]:" (after SIGQUIT: "goroutine 7 gp=… m=… [running]:")
		if a, b := strings.LastIndex(lines[i], "["), strings.LastIndex(lines[i], "]"); a >= 0 && b > a {
			g.state, _, _ = strings.Cut(lines[i][a+1:b], ",")
		}
		for i++; i+1 < len(lines) && lines[i] != "" && strings.HasPrefix(lines[i+1], "\t"); i += 2 {
			fn := lines[i]
			if k := strings.LastIndex(fn, "("); k > 0 && strings.HasSuffix(fn, ")") {
				fn = fn[:k]
			}
			loc := strings.TrimSpace(lines[i+1])
			loc, _, _ = strings.Cut(loc, " +0x")
			file, lineNo := loc, 0
			if k := strings.LastIndex(loc, ":"); k > 0 {
				file = loc[:k]
				lineNo, _ = strconv.Atoi(loc[k+1:])
			}
			g.frames = append(g.frames, stackFrame{Func: fn, File: file, Line: lineNo})
		}
		all = append(all, g)
	}
	return all
}

// workshopFrame is the topmost frame in a step's or solution's own code
// (not in a test file): the function the learner wrote or has to write.
func workshopFrame(frames []stackFrame) (stackFrame, bool) {
	for _, f := range frames {
		if inStep(f.File) && !strings.HasSuffix(f.File, "_test.go") {
			return f, true
		}
	}
	return stackFrame{}, false
}

// shortFunc turns "github.com/x/workshop/steps/01-accept.(*Server).Close"
// into "(*Server).Close", and drops the ".funcN" of closures.
func shortFunc(fn string) string {
	if i := strings.LastIndex(fn, "/"); i >= 0 {
		fn = fn[i+1:]
	}
	if i := strings.Index(fn, "."); i >= 0 {
		fn = fn[i+1:]
	}
	for {
		i := strings.LastIndex(fn, ".func")
		if i < 0 {
			return fn
		}
		fn = fn[:i]
	}
}

func fileBase(path string) string {
	if i := strings.LastIndex(path, "/"); i >= 0 {
		return path[i+1:]
	}
	return path
}

// inStep reports whether a file is in a step's folder, in either tree.
func inStep(file string) bool {
	_, ok := layout.StepOf(file)
	return ok
}
