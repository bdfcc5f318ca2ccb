package grade

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// logEntry matches the first line of a t.Log/t.Error entry, which the
// testing package indents by four spaces per level: "    x_test.go:42: text".
var logEntry = regexp.MustCompile(`^(\s*)([\w.-]+\.go):(\d+): ?(.*)$`)

// framing matches the lines the testing package adds around each test,
// which say nothing the events do not already say.
var framing = regexp.MustCompile(`^\s*(=== (RUN|PAUSE|CONT|NAME)|--- (PASS|FAIL|SKIP):|PASS$|FAIL$|ok\s|FAIL\s)`)

// parseFailures reads a test's own output and returns each failed
// assertion. testify writes blocks of tab-separated fields (Error Trace,
// Error, Test, Messages); plain t.Errorf writes a message after file:line.
// Only the message is the test's own teaching text; testify's Error field
// becomes the details (expected/actual).
func parseFailures(output []string) []Failure {
	if f, ok := exampleFailure(output); ok {
		return []Failure{f}
	}
	var out []Failure
	var cur *Failure
	var field string // the testify field a continuation line belongs to
	var indent int
	for _, raw := range output {
		line := strings.TrimRight(raw, "\n")
		if framing.MatchString(line) {
			continue
		}
		if m := logEntry.FindStringSubmatch(line); m != nil && (cur == nil || len(m[1]) <= indent) {
			out = append(out, Failure{Location: m[2] + ":" + m[3]})
			cur, field, indent = &out[len(out)-1], "", len(m[1])
			if text := strings.TrimSpace(m[4]); text != "" {
				cur.Message = text
				field = "plain"
			}
			continue
		}
		if cur == nil {
			continue
		}
		trimmed := strings.TrimLeft(line, " ")
		if strings.HasPrefix(trimmed, "\t") {
			// testify: "\tKey:   \tvalue" or "\t       \tcontinued value"
			parts := strings.SplitN(trimmed[1:], "\t", 2)
			key := strings.TrimSpace(parts[0])
			value := ""
			if len(parts) == 2 {
				value = parts[1]
			}
			if key != "" {
				field = strings.TrimSuffix(key, ":")
			}
			addField(cur, field, value)
			continue
		}
		if field != "" {
			addField(cur, field, strings.TrimSpace(line))
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

func addField(f *Failure, field, value string) {
	value = strings.TrimRight(value, " \t")
	switch field {
	case "Messages", "plain":
		if f.Message != "" {
			f.Message += "\n"
		}
		f.Message += value
	case "Error":
		// "Should be true" says nothing the message does not.
		if v := strings.TrimSpace(value); v != "" && v != "Should be true" && v != "Should be false" {
			f.Details = append(f.Details, value)
		}
	}
}

// stackFrame is a function line of a goroutine dump followed by its
// "\tfile:line +0x.." line.
type stackFrame struct {
	Func string // fully qualified, without arguments
	File string
	Line int
}

var (
	todoPanic  = regexp.MustCompile(`TODO\(step (\d+)\)`)
	stepFolder = regexp.MustCompile(`/(steps|solutions)/(\d+)-[a-z0-9-]+(/|\.)`)
)

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
			if m := stepFolder.FindStringSubmatch(f.File); m != nil {
				p.Step, _ = strconv.Atoi(m[2])
			}
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
			if f, ok := firstNonRuntime(g.frames); ok && stepFolder.MatchString(f.File) && !strings.HasSuffix(f.File, "_test.go") {
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
		if stepFolder.MatchString(f.File) && !strings.HasSuffix(f.File, "_test.go") {
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
