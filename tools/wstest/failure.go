package wstest

import "encoding/json"

// FailureAttr is the key of the test attribute ([testing.T.Attr]) in which
// a failed assertion hands the checker its teaching message. The step tests
// assert through this module's assert and require packages, which are
// testify's with this one addition; the checker reads the attribute from
// `go test -json` ("Action":"attr") instead of reading testify's printed
// text, so a change in how testify lays out a failure cannot change a
// grade.
const FailureAttr = "wstest.failure"

// Failure is what one failed assertion tells the checker.
type Failure struct {
	// Message is the test's own teaching text: what was expected, why,
	// and which RFC 6455 section says so.
	Message string `json:"message,omitempty"`
	// Details are the assertion's own lines, such as expected and actual.
	Details []string `json:"details,omitempty"`
	// At is the file:line of the assertion in the test, e.g. "read_test.go:42".
	At string `json:"at,omitempty"`
}

// ReportFailure records f as a test attribute of t, for the checker. It
// does not fail t: the caller does that, with a message for people who
// run go test themselves.
func ReportFailure(t interface{ Attr(key, value string) }, f Failure) {
	// json.Marshal escapes newlines, which an attribute may not hold.
	b, err := json.Marshal(f)
	if err != nil {
		return // a Failure holds only strings: it always marshals
	}
	t.Attr(FailureAttr, string(b))
}

// ParseFailure decodes the value of a FailureAttr attribute.
func ParseFailure(value string) (Failure, error) {
	var f Failure
	err := json.Unmarshal([]byte(value), &f)
	return f, err
}
