package assert

import (
	"fmt"
	"strings"
	"testing"

	testify "github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wsfromtcp/workshop/tools/wstest"
)

// fakeT records what an assertion reports, as a *testing.T would show it.
type fakeT struct {
	attrs  map[string]string
	errors []string
}

func (f *fakeT) Helper() {}

func (f *fakeT) Attr(key, value string) {
	if f.attrs == nil {
		f.attrs = map[string]string{}
	}
	f.attrs[key] = value
}

func (f *fakeT) Errorf(format string, args ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}

func (f *fakeT) failure(t *testing.T) wstest.Failure {
	t.Helper()
	value, ok := f.attrs[wstest.FailureAttr]
	require.True(t, ok, "a failed assertion must set the %s attribute", wstest.FailureAttr)
	got, err := wstest.ParseFailure(value)
	require.NoError(t, err, "the attribute must hold a wstest.Failure as JSON")
	return got
}

func TestAFailedAssertionHandsTheCheckerItsMessageAndDetails(t *testing.T) {
	var ft fakeT
	ok := Equal(&ft, "ping", "pong", "the echo must send back %q (RFC 6455 §5.6)", "ping")
	require.False(t, ok, "Equal must report that the values differ")
	got := ft.failure(t)
	testify.Equal(t, `the echo must send back "ping" (RFC 6455 §5.6)`, got.Message, "the message is msgAndArgs, formatted")
	testify.Equal(t, []string{"Not equal:", `expected: "ping"`, `actual  : "pong"`, "Diff:", "--- Expected", "+++ Actual", "@@ -1 +1 @@", `-ping`, `+pong`}, got.Details,
		"the details are the lines of testify's Error field; if this fails after a testify upgrade, its layout changed and details() must follow")
	testify.True(t, strings.HasPrefix(got.At, "teach_test.go:"), "At is the test's own line, not this package's: %q", got.At)
	require.Len(t, ft.errors, 1, "people running go test must still see one failure")
	testify.Contains(t, ft.errors[0], "Messages:", "what go test prints is testify's usual text")
}

func TestAPassingAssertionReportsNothing(t *testing.T) {
	var ft fakeT
	require.True(t, NoError(&ft, nil, "no error"))
	testify.Empty(t, ft.attrs, "a passing assertion sets no attribute")
	testify.Empty(t, ft.errors, "a passing assertion fails nothing")
}

func TestShouldBeTrueIsNotADetail(t *testing.T) {
	var ft fakeT
	True(&ft, false, "the frame must be masked")
	got := ft.failure(t)
	testify.Equal(t, "the frame must be masked", got.Message)
	testify.Empty(t, got.Details, `"Should be true" says nothing the message does not`)
}

func TestMessagesAreFormattedAsTestifyFormatsThem(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []any
		want string
	}{
		{"no message", nil, ""},
		{"a lone string is taken as it is, percent signs too", []any{"100% masked"}, "100% masked"},
		{"a lone value is printed with %+v", []any{struct{ N int }{3}}, "{N:3}"},
		{"a format and its arguments", []any{"%d bytes", 126}, "126 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			testify.Equal(t, tc.want, message(tc.args))
		})
	}
}
