// Package require is testify's require package built on this module's
// assert package: each function is the assertion of the same name, and
// ends the test with t.FailNow when it fails. Like assert, a failure also
// hands the checker its teaching message (see wstest.FailureAttr).
//
// Step tests import it in place of github.com/stretchr/testify/require.
package require

import "github.com/wsfromtcp/workshop/tools/wstest/assert"

// TestingT is what a require assertion needs of a test: it must be able to
// end it.
type TestingT interface {
	assert.TestingT
	FailNow()
}

type helper interface{ Helper() }

// FailNow reports a failure and ends the test: testify's [require.FailNow].
func FailNow(t TestingT, failureMessage string, msgAndArgs ...any) {
	if h, ok := t.(helper); ok {
		h.Helper()
	}
	assert.Fail(t, failureMessage, msgAndArgs...)
	t.FailNow()
}
