// Package require is testify's require package built on this module's
// assert package: each function is the assertion of the same name, and
// ends the test with t.FailNow when it fails. Like assert, a failure also
// hands the checker its teaching message (see wstest.FailureAttr).
//
// Step tests import it in place of github.com/stretchr/testify/require.
package require
