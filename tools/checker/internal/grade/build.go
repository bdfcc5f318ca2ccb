package grade

import (
	"regexp"
	"strings"

	"github.com/wsfromtcp/workshop/tools/checker/internal/gotest"
	"github.com/wsfromtcp/workshop/tools/checker/internal/layout"
)

// compilerLine matches "steps/01-accept/server.go:12:3: message".
var compilerLine = regexp.MustCompile(`^(\S+\.go):(\d+)(?::(\d+))?: (.*)$`)

// explanations say in plain words what the compiler messages that beginners
// meet most often mean. The first match wins.
var explanations = []struct {
	re  *regexp.Regexp
	say string // may use $1.. for the submatches
}{
	{regexp.MustCompile(`^declared and not used: (\S+)`), "the variable $1 is never used, and Go refuses unused variables: use it, or delete it (or assign to _)."},
	{regexp.MustCompile(`^"(\S+)" imported and not used`), "the package $1 is imported but not used: remove the import, or use it."},
	{regexp.MustCompile(`^undefined: (\S+)`), "nothing named $1 exists here: check the spelling, define it, or import the package it comes from."},
	{regexp.MustCompile(`^missing return`), "the function can reach its closing brace without a return statement: every path must return a value."},
	{regexp.MustCompile(`^syntax error`), "Go could not read this line: look for a missing or extra brace, parenthesis, comma or quote on it or just before it."},
	{regexp.MustCompile(`^(\S+) redeclared in this block`), "two things in this package are named $1: rename or remove one."},
	{regexp.MustCompile(`^cannot use .* as .* value`), "a value of one type is used where another type is needed: check what the function or variable expects."},
	{regexp.MustCompile(`^(not enough|too many) (arguments|return values)`), "the number of values does not match the function's signature: compare the call or return with the declaration."},
	{regexp.MustCompile(`^assignment mismatch`), "the number of variables on the left does not match the number of values on the right."},
	{regexp.MustCompile(`^missing function body`), "a function is declared without a body: add its { … }."},
	{regexp.MustCompile(`^import cycle not allowed`), "two packages import each other, directly or through others: a step may import only earlier steps."},
	{regexp.MustCompile(`^(\S+) \(.*\) is not used`), "this expression computes a value that is then thrown away: assign it, return it, or remove it."},
}

// BuildErrors turns the build events of `go test -c -json` into compiler
// messages. Lines that are not compiler messages are kept as they are.
func BuildErrors(events []gotest.Event) []BuildError {
	var out []BuildError
	for _, e := range events {
		if e.Action != gotest.BuildOutput {
			continue
		}
		line := strings.TrimRight(e.Output, "\n")
		if strings.HasPrefix(line, "\t") && len(out) > 0 {
			// "\thave (number)\n\twant ()" continues the message above.
			out[len(out)-1].Message += "; " + strings.TrimSpace(line)
			continue
		}
		if line == "" || strings.HasPrefix(line, "# ") || strings.HasPrefix(line, "FAIL\t") {
			continue
		}
		m := compilerLine.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			if strings.Contains(line, "too many errors") {
				continue
			}
			out = append(out, BuildError{Message: strings.TrimSpace(line)})
			continue
		}
		loc := strings.TrimPrefix(m[1], "./") + ":" + m[2]
		if m[3] != "" {
			loc += ":" + m[3]
		}
		be := BuildError{Location: loc, Message: m[4], Explanation: explain(m[4])}
		be.Step, _ = layout.StepOf(m[1])
		out = append(out, be)
	}
	if len(out) == 0 {
		out = append(out, BuildError{Message: "the tests could not be built, and the go command said nothing more"})
	}
	return out
}

func explain(msg string) string {
	for _, e := range explanations {
		if m := e.re.FindStringSubmatchIndex(msg); m != nil {
			return string(e.re.ExpandString(nil, e.say, msg, m))
		}
	}
	return ""
}
