// Package assert is testify's assert package with one addition for the
// workshop's checker: when an assertion fails, it also hands the checker
// its teaching message, through a test attribute (see wstest.FailureAttr).
//
// Step tests import it in place of github.com/stretchr/testify/assert and
// call it the same way: assert.Equal(t, want, got, "why, RFC 6455 §5.2").
// What go test prints is testify's usual text; what the checker shows a
// learner comes from the attribute, so it stays intact whatever layout a
// testify release gives its text.
//
// assert.go and ../require/require.go are generated: to add an assertion
// a test needs, add it to the list in ../internal/gen and run
// go generate ./tools/wstest/...
package assert

//go:generate go run ../internal/gen ..

import (
	"fmt"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/stretchr/testify/assert"

	"github.com/wsfromtcp/workshop/tools/wstest"
)

// TestingT is what an assertion needs of a test: testify's TestingT. A
// *testing.T also has Helper and Attr, which the assertions use when
// they are there.
type TestingT = assert.TestingT

type helper interface{ Helper() }

type attributer interface{ Attr(key, value string) }

// recorder is the TestingT testify's assertion writes its failure to, so
// that check can report it once, with the teaching message beside it.
type recorder struct{ text strings.Builder }

func (r *recorder) Errorf(format string, args ...any) { fmt.Fprintf(&r.text, format, args...) }

// check runs a testify assertion against a recorder and, when it fails,
// reports the failure to t: the attribute for the checker, then testify's
// text for people, at the line of the test that asserted.
func check(t TestingT, msgAndArgs []any, assertion func(assert.TestingT) bool) bool {
	if h, ok := t.(helper); ok {
		h.Helper()
	}
	var r recorder
	if assertion(&r) {
		return true
	}
	if a, ok := t.(attributer); ok {
		wstest.ReportFailure(a, wstest.Failure{
			Message: message(msgAndArgs),
			Details: details(r.text.String()),
			At:      callSite(),
		})
	}
	t.Errorf("%s", r.text.String())
	return false
}

// message formats msgAndArgs as testify does: a lone value as it is, or a
// format string followed by its arguments.
func message(msgAndArgs []any) string {
	switch {
	case len(msgAndArgs) == 0:
		return ""
	case len(msgAndArgs) == 1:
		if s, ok := msgAndArgs[0].(string); ok {
			return s
		}
		return fmt.Sprintf("%+v", msgAndArgs[0])
	}
	if format, ok := msgAndArgs[0].(string); ok {
		return fmt.Sprintf(format, msgAndArgs[1:]...)
	}
	return fmt.Sprint(msgAndArgs...)
}

// details returns the lines of testify's "Error:" field (expected and
// actual, a diff), which testify prints as
//
//	\tError:      \tNot equal:
//	\t            \texpected: "a"
//
// This is the one place that reads testify's text, and only for these
// extra lines: if a testify release lays it out differently, details are
// empty and the teaching message is unchanged. TestDetailsReadTestifysErrorField
// notices such a release. "Should be true" and its kin say nothing the
// message does not, so they are left out.
func details(text string) []string {
	var out []string
	in := false
	for _, line := range strings.Split(text, "\n") {
		label, value, ok := field(line)
		if !ok {
			in = false
			continue
		}
		switch {
		case label == "Error":
			in = true
		case label != "":
			in = false
		}
		if v := strings.TrimRight(value, " \t"); in && strings.TrimSpace(v) != "" {
			out = append(out, v)
		}
	}
	if len(out) == 1 && (out[0] == "Should be true" || out[0] == "Should be false") {
		return nil
	}
	return out
}

// field splits a line of testify's labelled output, "\tLabel:   \tvalue"
// or "\t         \tvalue" (a continued value, label "").
func field(line string) (label, value string, ok bool) {
	rest, found := strings.CutPrefix(line, "\t")
	if !found {
		return "", "", false
	}
	head, value, found := strings.Cut(rest, "\t")
	if !found {
		return "", "", false
	}
	head = strings.TrimRight(head, " ")
	return strings.TrimSuffix(head, ":"), value, true
}

// callSite is the file:line of the test line that asserted: the first
// caller in a test file or outside this package, require and testify.
func callSite() string {
	pcs := make([]uintptr, 16)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(2, pcs)])
	for {
		f, more := frames.Next()
		if strings.HasSuffix(f.File, "_test.go") || !ours(f.Function) {
			return fmt.Sprintf("%s:%d", filepath.Base(f.File), f.Line)
		}
		if !more {
			return ""
		}
	}
}

func ours(fn string) bool {
	for _, pkg := range []string{"/tools/wstest/assert.", "/tools/wstest/require.", "/stretchr/testify/"} {
		if strings.Contains(fn, pkg) {
			return true
		}
	}
	return false
}

// FailNow reports a failure and ends the test: testify's [assert.FailNow],
// which also hands the message to the checker.
func FailNow(t TestingT, failureMessage string, msgAndArgs ...any) bool {
	if h, ok := t.(helper); ok {
		h.Helper()
	}
	check(t, msgAndArgs, func(r assert.TestingT) bool { return assert.Fail(r, failureMessage, msgAndArgs...) })
	if f, ok := t.(interface{ FailNow() }); ok {
		f.FailNow()
	}
	return false
}
