package assert

import (
	"time"

	"github.com/stretchr/testify/assert"
)

// Equal asserts that expected and actual are equal (ObjectsAreEqual): testify's [assert.Equal], which also
// hands a failure's message to the checker.
func Equal(t TestingT, expected, actual any, msgAndArgs ...any) bool {
	if h, ok := t.(helper); ok {
		h.Helper()
	}
	return check(t, msgAndArgs, func(r assert.TestingT) bool { return assert.Equal(r, expected, actual, msgAndArgs...) })
}

// NotEqual asserts that expected and actual are not equal: testify's [assert.NotEqual], which also
// hands a failure's message to the checker.
func NotEqual(t TestingT, expected, actual any, msgAndArgs ...any) bool {
	if h, ok := t.(helper); ok {
		h.Helper()
	}
	return check(t, msgAndArgs, func(r assert.TestingT) bool { return assert.NotEqual(r, expected, actual, msgAndArgs...) })
}

// Same asserts that expected and actual point to the same object: testify's [assert.Same], which also
// hands a failure's message to the checker.
func Same(t TestingT, expected, actual any, msgAndArgs ...any) bool {
	if h, ok := t.(helper); ok {
		h.Helper()
	}
	return check(t, msgAndArgs, func(r assert.TestingT) bool { return assert.Same(r, expected, actual, msgAndArgs...) })
}

// True asserts that value is true: testify's [assert.True], which also
// hands a failure's message to the checker.
func True(t TestingT, value bool, msgAndArgs ...any) bool {
	if h, ok := t.(helper); ok {
		h.Helper()
	}
	return check(t, msgAndArgs, func(r assert.TestingT) bool { return assert.True(r, value, msgAndArgs...) })
}

// False asserts that value is false: testify's [assert.False], which also
// hands a failure's message to the checker.
func False(t TestingT, value bool, msgAndArgs ...any) bool {
	if h, ok := t.(helper); ok {
		h.Helper()
	}
	return check(t, msgAndArgs, func(r assert.TestingT) bool { return assert.False(r, value, msgAndArgs...) })
}

// Nil asserts that object is nil: testify's [assert.Nil], which also
// hands a failure's message to the checker.
func Nil(t TestingT, object any, msgAndArgs ...any) bool {
	if h, ok := t.(helper); ok {
		h.Helper()
	}
	return check(t, msgAndArgs, func(r assert.TestingT) bool { return assert.Nil(r, object, msgAndArgs...) })
}

// NotNil asserts that object is not nil: testify's [assert.NotNil], which also
// hands a failure's message to the checker.
func NotNil(t TestingT, object any, msgAndArgs ...any) bool {
	if h, ok := t.(helper); ok {
		h.Helper()
	}
	return check(t, msgAndArgs, func(r assert.TestingT) bool { return assert.NotNil(r, object, msgAndArgs...) })
}

// Empty asserts that object is empty: zero, nil, or of length 0: testify's [assert.Empty], which also
// hands a failure's message to the checker.
func Empty(t TestingT, object any, msgAndArgs ...any) bool {
	if h, ok := t.(helper); ok {
		h.Helper()
	}
	return check(t, msgAndArgs, func(r assert.TestingT) bool { return assert.Empty(r, object, msgAndArgs...) })
}

// NotEmpty asserts that object is not empty: testify's [assert.NotEmpty], which also
// hands a failure's message to the checker.
func NotEmpty(t TestingT, object any, msgAndArgs ...any) bool {
	if h, ok := t.(helper); ok {
		h.Helper()
	}
	return check(t, msgAndArgs, func(r assert.TestingT) bool { return assert.NotEmpty(r, object, msgAndArgs...) })
}

// Zero asserts that i is the zero value of its type: testify's [assert.Zero], which also
// hands a failure's message to the checker.
func Zero(t TestingT, i any, msgAndArgs ...any) bool {
	if h, ok := t.(helper); ok {
		h.Helper()
	}
	return check(t, msgAndArgs, func(r assert.TestingT) bool { return assert.Zero(r, i, msgAndArgs...) })
}

// Len asserts that object has the given length: testify's [assert.Len], which also
// hands a failure's message to the checker.
func Len(t TestingT, object any, length int, msgAndArgs ...any) bool {
	if h, ok := t.(helper); ok {
		h.Helper()
	}
	return check(t, msgAndArgs, func(r assert.TestingT) bool { return assert.Len(r, object, length, msgAndArgs...) })
}

// Contains asserts that s (a string, slice or map) contains the element: testify's [assert.Contains], which also
// hands a failure's message to the checker.
func Contains(t TestingT, s, contains any, msgAndArgs ...any) bool {
	if h, ok := t.(helper); ok {
		h.Helper()
	}
	return check(t, msgAndArgs, func(r assert.TestingT) bool { return assert.Contains(r, s, contains, msgAndArgs...) })
}

// NotContains asserts that s does not contain the element: testify's [assert.NotContains], which also
// hands a failure's message to the checker.
func NotContains(t TestingT, s, contains any, msgAndArgs ...any) bool {
	if h, ok := t.(helper); ok {
		h.Helper()
	}
	return check(t, msgAndArgs, func(r assert.TestingT) bool { return assert.NotContains(r, s, contains, msgAndArgs...) })
}

// ElementsMatch asserts that the two lists hold the same elements, in any order: testify's [assert.ElementsMatch], which also
// hands a failure's message to the checker.
func ElementsMatch(t TestingT, listA, listB any, msgAndArgs ...any) bool {
	if h, ok := t.(helper); ok {
		h.Helper()
	}
	return check(t, msgAndArgs, func(r assert.TestingT) bool { return assert.ElementsMatch(r, listA, listB, msgAndArgs...) })
}

// Regexp asserts that str matches the regular expression rx: testify's [assert.Regexp], which also
// hands a failure's message to the checker.
func Regexp(t TestingT, rx, str any, msgAndArgs ...any) bool {
	if h, ok := t.(helper); ok {
		h.Helper()
	}
	return check(t, msgAndArgs, func(r assert.TestingT) bool { return assert.Regexp(r, rx, str, msgAndArgs...) })
}

// Less asserts that e1 < e2: testify's [assert.Less], which also
// hands a failure's message to the checker.
func Less(t TestingT, e1, e2 any, msgAndArgs ...any) bool {
	if h, ok := t.(helper); ok {
		h.Helper()
	}
	return check(t, msgAndArgs, func(r assert.TestingT) bool { return assert.Less(r, e1, e2, msgAndArgs...) })
}

// LessOrEqual asserts that e1 <= e2: testify's [assert.LessOrEqual], which also
// hands a failure's message to the checker.
func LessOrEqual(t TestingT, e1, e2 any, msgAndArgs ...any) bool {
	if h, ok := t.(helper); ok {
		h.Helper()
	}
	return check(t, msgAndArgs, func(r assert.TestingT) bool { return assert.LessOrEqual(r, e1, e2, msgAndArgs...) })
}

// Greater asserts that e1 > e2: testify's [assert.Greater], which also
// hands a failure's message to the checker.
func Greater(t TestingT, e1, e2 any, msgAndArgs ...any) bool {
	if h, ok := t.(helper); ok {
		h.Helper()
	}
	return check(t, msgAndArgs, func(r assert.TestingT) bool { return assert.Greater(r, e1, e2, msgAndArgs...) })
}

// GreaterOrEqual asserts that e1 >= e2: testify's [assert.GreaterOrEqual], which also
// hands a failure's message to the checker.
func GreaterOrEqual(t TestingT, e1, e2 any, msgAndArgs ...any) bool {
	if h, ok := t.(helper); ok {
		h.Helper()
	}
	return check(t, msgAndArgs, func(r assert.TestingT) bool { return assert.GreaterOrEqual(r, e1, e2, msgAndArgs...) })
}

// NoError asserts that err is nil: testify's [assert.NoError], which also
// hands a failure's message to the checker.
func NoError(t TestingT, err error, msgAndArgs ...any) bool {
	if h, ok := t.(helper); ok {
		h.Helper()
	}
	return check(t, msgAndArgs, func(r assert.TestingT) bool { return assert.NoError(r, err, msgAndArgs...) })
}

// Error asserts that err is not nil: testify's [assert.Error], which also
// hands a failure's message to the checker.
func Error(t TestingT, err error, msgAndArgs ...any) bool {
	if h, ok := t.(helper); ok {
		h.Helper()
	}
	return check(t, msgAndArgs, func(r assert.TestingT) bool { return assert.Error(r, err, msgAndArgs...) })
}

// ErrorIs asserts that errors.Is(err, target): testify's [assert.ErrorIs], which also
// hands a failure's message to the checker.
func ErrorIs(t TestingT, err, target error, msgAndArgs ...any) bool {
	if h, ok := t.(helper); ok {
		h.Helper()
	}
	return check(t, msgAndArgs, func(r assert.TestingT) bool { return assert.ErrorIs(r, err, target, msgAndArgs...) })
}

// ErrorAs asserts that errors.As(err, target): testify's [assert.ErrorAs], which also
// hands a failure's message to the checker.
func ErrorAs(t TestingT, err error, target any, msgAndArgs ...any) bool {
	if h, ok := t.(helper); ok {
		h.Helper()
	}
	return check(t, msgAndArgs, func(r assert.TestingT) bool { return assert.ErrorAs(r, err, target, msgAndArgs...) })
}

// ErrorContains asserts that theError is not nil and its text contains the substring: testify's [assert.ErrorContains], which also
// hands a failure's message to the checker.
func ErrorContains(t TestingT, theError error, contains string, msgAndArgs ...any) bool {
	if h, ok := t.(helper); ok {
		h.Helper()
	}
	return check(t, msgAndArgs, func(r assert.TestingT) bool { return assert.ErrorContains(r, theError, contains, msgAndArgs...) })
}

// FileExists asserts that path is a file: testify's [assert.FileExists], which also
// hands a failure's message to the checker.
func FileExists(t TestingT, path string, msgAndArgs ...any) bool {
	if h, ok := t.(helper); ok {
		h.Helper()
	}
	return check(t, msgAndArgs, func(r assert.TestingT) bool { return assert.FileExists(r, path, msgAndArgs...) })
}

// NoFileExists asserts that path is not a file: testify's [assert.NoFileExists], which also
// hands a failure's message to the checker.
func NoFileExists(t TestingT, path string, msgAndArgs ...any) bool {
	if h, ok := t.(helper); ok {
		h.Helper()
	}
	return check(t, msgAndArgs, func(r assert.TestingT) bool { return assert.NoFileExists(r, path, msgAndArgs...) })
}

// Eventually asserts that condition returns true within waitFor, checking every tick: testify's [assert.Eventually], which also
// hands a failure's message to the checker.
func Eventually(t TestingT, condition func() bool, waitFor, tick time.Duration, msgAndArgs ...any) bool {
	if h, ok := t.(helper); ok {
		h.Helper()
	}
	return check(t, msgAndArgs, func(r assert.TestingT) bool { return assert.Eventually(r, condition, waitFor, tick, msgAndArgs...) })
}

// Fail asserts that nothing: it reports a failure: testify's [assert.Fail], which also
// hands a failure's message to the checker.
func Fail(t TestingT, failureMessage string, msgAndArgs ...any) bool {
	if h, ok := t.(helper); ok {
		h.Helper()
	}
	return check(t, msgAndArgs, func(r assert.TestingT) bool { return assert.Fail(r, failureMessage, msgAndArgs...) })
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
