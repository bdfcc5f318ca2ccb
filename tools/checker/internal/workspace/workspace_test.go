package workspace

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wsfromtcp/workshop/tools/checker/internal/layout"
)

const module = "example.com/ws"

// repo makes a git repository with one step whose stub imports an earlier
// step, and its solution, committed as a fresh clone would have them.
func repo(t *testing.T) *Workspace {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	root := t.TempDir()
	write(t, root, "steps/02-x/x.go", "package x\n\nimport _ \""+module+"/steps/01-y\"\n\n// TODO\n")
	write(t, root, "steps/02-x/x_test.go", "package x\n")
	write(t, root, "steps/02-x/hints.md", "## A nudge\n\nLook.\n\n## The RFC\n\nRead §5.2.\n")
	write(t, root, "solutions/02-x/x.go", "package x\n\nimport _ \""+module+"/solutions/01-y\"\n\n// done\n")
	write(t, root, "solutions/02-x/extra.go", "package x\n")
	for _, args := range [][]string{
		{"init", "-q"}, {"add", "-A"},
		{"-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "stub"},
	} {
		cmd := exec.Command("git", args...)
		cmd.Dir = root
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "git %v: %s", args, out)
	}
	w := New(layout.Layout{Root: root, Module: module})
	tick := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	w.Now = func() time.Time { tick = tick.Add(time.Second); return tick }
	return w
}

func write(t *testing.T, root, rel, data string) {
	t.Helper()
	path := filepath.Join(root, rel)
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, []byte(data), 0o644))
}

func read(t *testing.T, root, rel string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, rel))
	require.NoError(t, err)
	return string(data)
}

func TestUntouchedTellsTheStubFromTheLearnersWork(t *testing.T) {
	w := repo(t)
	untouched, err := w.Untouched("02-x")
	require.NoError(t, err)
	assert.True(t, untouched, "a fresh clone's step is the untouched stub")

	write(t, w.Root, "steps/02-x/x.go", "package x\n// mine\n")
	untouched, err = w.Untouched("02-x")
	require.NoError(t, err)
	assert.False(t, untouched, "an edited step is in progress")
}

func TestSolveBacksUpAndRestoreBringsTheLearnersCodeBack(t *testing.T) {
	w := repo(t)
	mine := "package x\n// my own attempt\n"
	write(t, w.Root, "steps/02-x/x.go", mine)

	backup, err := w.Solve("02-x")
	require.NoError(t, err)
	assert.Equal(t, mine, read(t, w.Root, filepath.Join(backup, "x.go")), "solve must save the learner's code first")
	assert.Contains(t, read(t, w.Root, "steps/02-x/x.go"), `"`+module+`/steps/01-y"`,
		"the solution copied into steps/ must build on the learner's own earlier steps")
	assert.NotContains(t, read(t, w.Root, "steps/02-x/x.go"), "/solutions/")
	assert.Equal(t, "package x\n", read(t, w.Root, "steps/02-x/extra.go"), "every file of the solution is copied")
	assert.Equal(t, "package x\n", read(t, w.Root, "steps/02-x/x_test.go"), "the tests are never touched")
	assert.FileExists(t, filepath.Join(w.Root, "steps/02-x/hints.md"), "the hints are never touched")

	restored, saved, err := w.Restore("02-x")
	require.NoError(t, err)
	assert.Equal(t, backup, restored)
	assert.Equal(t, mine, read(t, w.Root, "steps/02-x/x.go"), "restore brings the learner's code back")
	assert.NoFileExists(t, filepath.Join(w.Root, "steps/02-x/extra.go"), "files the learner did not have are removed")
	assert.Contains(t, read(t, w.Root, filepath.Join(saved, "x.go")), "// done", "what restore replaced is kept, so that restore can be undone")
}

func TestResetBringsBackTheUntouchedStub(t *testing.T) {
	w := repo(t)
	write(t, w.Root, "steps/02-x/x.go", "package x\n// broken beyond repair\n")
	write(t, w.Root, "steps/02-x/helper.go", "package x\n")

	backup, err := w.Reset("02-x")
	require.NoError(t, err)
	untouched, err := w.Untouched("02-x")
	require.NoError(t, err)
	assert.True(t, untouched, "after reset the step is the stub again, without the learner's extra files")
	assert.Equal(t, "package x\n", read(t, w.Root, filepath.Join(backup, "helper.go")), "reset saves every file of the learner's first")
}

func TestRestoreWithoutABackupSaysSo(t *testing.T) {
	w := repo(t)
	_, _, err := w.Restore("02-x")
	assert.ErrorContains(t, err, "no backup of steps/02-x")
}

func TestHintsAreTakenOneAtATime(t *testing.T) {
	w := repo(t)
	hints, err := Hints(filepath.Join(w.Root, "steps/02-x"))
	require.NoError(t, err)
	require.Len(t, hints, 2)
	assert.Equal(t, Hint{Title: "A nudge", Body: "Look."}, hints[0])

	for want := range []int{1, 2, 2} {
		n, err := w.TakeHint("02-x", len(hints))
		require.NoError(t, err)
		assert.Equal(t, min(want+1, 2), n, "each call shows one more hint, and the last one again once all are shown")
	}
	taken, err := w.HintsTaken("02-x")
	require.NoError(t, err)
	assert.Equal(t, 2, taken)
}
