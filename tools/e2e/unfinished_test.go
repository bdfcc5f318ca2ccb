package e2e

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wsfromtcp/workshop/tools/course"
)

// fakeSteps lays out steps/ under a new root, one file a step, each one
// still a stub (a TODO panic) when todo says so.
func fakeSteps(t *testing.T, todo func(n int) bool) string {
	t.Helper()
	root := t.TempDir()
	for _, s := range course.MustLoad().Steps {
		dir := filepath.Join(root, s.Dir())
		require.NoError(t, os.MkdirAll(dir, 0o755))
		body := "package " + s.Package + "\n\nfunc F() {}\n"
		if todo(s.Number) {
			body = "package " + s.Package + "\n\nfunc F() {\n\tpanic(\"TODO(step " + strconv.Itoa(s.Number) + "): write F\")\n}\n"
		}
		require.NoError(t, os.WriteFile(filepath.Join(dir, "f.go"), []byte(body), 0o644))
		// A test file's panics are the tests', not TODOs of the learner's.
		require.NoError(t, os.WriteFile(filepath.Join(dir, "f_test.go"), []byte(`panic("TODO(step 99): not this")`), 0o644))
	}
	return root
}

func TestAnUnfinishedChatStepIsNamedWithItsTODOsAndTheCommandToRun(t *testing.T) {
	msg, err := unfinished(fakeSteps(t, func(int) bool { return true }), 10)
	require.NoError(t, err)
	t.Logf("make e2e on the stubs says:\n%s", msg)
	assert.Contains(t, msg, "steps/10-chat", "the message should name the server it would have tested")
	assert.Contains(t, msg, "Step 10 is not finished", "the message should say that step 10 is not finished")
	assert.Contains(t, msg, "steps/10-chat/f.go:4  TODO(step 10): write F", "the message should point at each TODO left in step 10")
	assert.Contains(t, msg, "Steps 1 to 9 are not finished either", "the message should say that the earlier steps are not finished")
	assert.Contains(t, msg, "make step10", "the message should name the command that grades step 10")
	assert.NotContains(t, msg, "step 99", "a TODO in a test file is not the learner's")
}

func TestAnUnfinishedEarlierStepIsTheOneToRun(t *testing.T) {
	msg, err := unfinished(fakeSteps(t, func(n int) bool { return n == 9 }), 10)
	require.NoError(t, err)
	assert.NotContains(t, msg, "Step 10 is not finished", "step 10 is written")
	assert.Contains(t, msg, "Step 9 is not finished (make progress", "the message should name the one earlier step that is not finished")
	assert.Contains(t, msg, "make step9", "the message should name the command that grades step 9")
}

func TestFinishedStepsLeaveNothingToSay(t *testing.T) {
	msg, err := unfinished(fakeSteps(t, func(int) bool { return false }), 10)
	require.NoError(t, err)
	assert.Empty(t, msg, "with every step written, make e2e should go on to the browsers")
}

func TestStepNumbersReadAsASentence(t *testing.T) {
	for _, tc := range []struct {
		ns   []int
		want string
	}{
		{[]int{9}, "9"},
		{[]int{4, 9}, "4 and 9"},
		{[]int{1, 2, 3}, "1 to 3"},
		{[]int{2, 5, 7}, "2, 5 and 7"},
	} {
		assert.Equal(t, tc.want, numbers(tc.ns), "numbers(%v)", tc.ns)
	}
}
