package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wsfromtcp/workshop/tools/checker/internal/layout"
	"github.com/wsfromtcp/workshop/tools/checker/internal/report"
	"github.com/wsfromtcp/workshop/tools/checker/internal/tamper"
	"github.com/wsfromtcp/workshop/tools/course"
)

var update = flag.Bool("update", false, "rewrite the golden files from the current output")

// sandbox is a git repository with one step, as a fresh clone has it.
func sandbox(t *testing.T) *environment {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	root := t.TempDir()
	files := map[string]string{
		"steps/02-request/request.go":      "package request\n\n// TODO(step 2)\n",
		"steps/02-request/request_test.go": "package request\n",
		"steps/02-request/hints.md":        "## A nudge\n\nRead one line at a time.\n\n## The passage to read\n\nRFC 9112 §2.\n\n## The shape of the code\n\n    for { line := … }\n",
		"solutions/02-request/request.go":  "package request\n\n// done\n",
	}
	writeFiles(t, root, files)
	git(t, root, "init", "-q")
	commitAll(t, root, "stub")
	c := course.Course{RFCBase: "https://www.rfc-editor.org/rfc/", Steps: []course.Step{
		{Number: 2, Slug: "02-request", Package: "request", Title: "Read an HTTP request head"},
	}}
	var out bytes.Buffer
	l := layout.Layout{Root: root, Module: "example.com/w"}
	return &environment{layout: l, course: c, tmp: t.TempDir(), work: filepath.Join(root, "bin", "_checker"), out: &out, printer: report.Printer{W: &out, Course: c}}
}

// writeFiles writes files, by path from root, making their folders.
func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for rel, data := range files {
		path := filepath.Join(root, rel)
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(data), 0o644))
	}
}

// git runs git in dir and fails the test when it fails.
func git(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "git %v: %s", args, out)
}

// commitAll commits everything in dir, as a workshop's commit.
func commitAll(t *testing.T, dir, msg string) {
	t.Helper()
	git(t, dir, "add", "-A")
	git(t, dir, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", msg)
}

// backupNames hides the time in backup folder names, so that output can be
// compared with a golden file.
var backupNames = regexp.MustCompile(`\d{8}-\d{6}\.\d{3}`)

func TestLearnerCommandsPrintWhatTheyDid(t *testing.T) {
	e := sandbox(t)
	var transcript bytes.Buffer
	runCmd := func(name string, f func(context.Context, []string) (int, error)) {
		e.out.(*bytes.Buffer).Reset()
		code, err := f(context.Background(), []string{"2"})
		require.NoError(t, err, name)
		require.Zero(t, code, name)
		transcript.WriteString("$ make " + name + " STEP=2\n")
		transcript.Write(backupNames.ReplaceAll(e.out.(*bytes.Buffer).Bytes(), []byte("TIME")))
		transcript.WriteString("\n")
	}
	runCmd("hint", e.hint)
	runCmd("hint", e.hint)
	runCmd("hint", e.hint)
	runCmd("hint", e.hint)
	require.NoError(t, os.WriteFile(filepath.Join(e.layout.Root, "steps/02-request/request.go"), []byte("package request\n// mine\n"), 0o644))
	runCmd("solve", e.solve)
	runCmd("restore", e.restore)
	runCmd("reset", e.reset)

	mine, err := os.ReadFile(filepath.Join(e.layout.Root, "steps/02-request/request.go"))
	require.NoError(t, err)
	assert.Equal(t, "package request\n\n// TODO(step 2)\n", string(mine), "after reset the stub is back")

	path := filepath.Join("testdata", "learner-commands.golden")
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, transcript.Bytes(), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "missing golden file; run go test ./tools/checker -update")
	assert.Equal(t, string(want), transcript.String(), "the commands' output changed; if meant, run go test ./tools/checker -update and review the diff")
}

func TestCommandsThatNeedAStepSayHowToGiveIt(t *testing.T) {
	e := sandbox(t)
	_, err := e.hint(context.Background(), nil)
	assert.ErrorContains(t, err, "make hint STEP=3")
	_, err = e.solve(context.Background(), []string{"9"})
	assert.ErrorContains(t, err, "there is no step 9 yet")
}

// doubleDoublesTest is a step's test file after its package clause: one
// check, that Double(2) is 4.
const doubleDoublesTest = "import \"testing\"\n\nfunc TestDoubleDoubles(t *testing.T) {\n\tif Double(2) != 4 {\n\t\tt.Error(\"Double(2) should be 4\")\n\t}\n}\n"

// TestEditedAndDeletedTestsAreGradedAsSuch grades a step whose learner
// made a test return early and deleted a test file: the step must fail,
// say which file changed and how to get it back, and count the deleted
// file's check as failed, not as one fewer.
func TestEditedAndDeletedTestsAreGradedAsSuch(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a step's tests")
	}
	e := sandbox(t)
	files := map[string]string{
		"go.mod":                           "module example.com/w\n\ngo 1.25\n",
		"steps/02-request/request.go":      "package request\n\nfunc Double(x int) int { return x }\n",
		"steps/02-request/request_test.go": "package request\n\n" + doubleDoublesTest,
		"steps/02-request/more_test.go":    "package request\n\nimport \"testing\"\n\nfunc TestDoubleOfThree(t *testing.T) {\n\tif Double(3) != 6 {\n\t\tt.Error(\"Double(3) should be 6\")\n\t}\n}\n",
	}
	give(t, e, files, "02-request")

	// The learner makes the failing test pass by editing it, and deletes
	// the other test file.
	edited := strings.Replace(files["steps/02-request/request_test.go"], "{\n\tif Double(2)", "{\n\treturn\n\tif Double(2)", 1)
	require.NoError(t, os.WriteFile(filepath.Join(e.layout.Root, "steps/02-request/request_test.go"), []byte(edited), 0o644))
	require.NoError(t, os.Remove(filepath.Join(e.layout.Root, "steps/02-request/more_test.go")))

	code, err := e.step(context.Background(), []string{"2"})
	require.NoError(t, err)
	out := e.out.(*bytes.Buffer).String()
	assert.Equal(t, 1, code, "a step with edited tests must not pass:\n%s", out)
	assert.Contains(t, out, "✗ The step's tests are the workshop's")
	assert.Contains(t, out, "steps/02-request/request_test.go was changed")
	assert.Contains(t, out, "git checkout -- steps/02-request/request_test.go", "the learner is told how to get the file back")
	assert.Contains(t, out, "steps/02-request/more_test.go is missing")
	assert.Contains(t, out, "✗ Double of three", "the deleted file's check counts as failed")
	assert.Contains(t, out, "1/3 checks passed", "the edited check passes, the deleted one fails, and the tampering counts against the step")
}

// TestABorrowedTestEditedInItsOwnStepIsCaughtAtTheStepThatBorrowsIt
// grades a step that borrows an earlier step's checks (steps.json
// alsoPasses) after the learner edited the earlier step's test to pass:
// the borrowing step must not pass on it either.
func TestABorrowedTestEditedInItsOwnStepIsCaughtAtTheStepThatBorrowsIt(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a step's tests")
	}
	e := sandbox(t)
	files := map[string]string{
		"go.mod":                           "module example.com/w\n\ngo 1.25\n",
		"steps/01-accept/accept.go":        "package accept\n\nfunc Double(x int) int { return 2 * x }\n",
		"steps/01-accept/accept_test.go":   "package accept\n\n" + doubleDoublesTest,
		"steps/02-request/request.go":      "package request\n\nfunc Double(x int) int { return x }\n",
		"steps/02-request/request_test.go": "package request\n\nimport \"testing\"\n\nfunc TestOwn(t *testing.T) {}\n",
	}
	e.course.Steps = []course.Step{
		{Number: 1, Slug: "01-accept", Package: "accept", Title: "Accept"},
		{Number: 2, Slug: "02-request", Package: "request", Title: "Read an HTTP request head",
			AlsoPasses: &course.Rerun{Step: 1, Slug: "01-accept", Files: []string{"accept_test.go"}}},
	}
	e.printer.Course = e.course
	give(t, e, files, "01-accept", "02-request")

	code, err := e.step(context.Background(), []string{"2"})
	require.NoError(t, err)
	out := e.out.(*bytes.Buffer).String()
	assert.Equal(t, 1, code, "step 2's Double does not keep step 1's behaviour:\n%s", out)
	assert.Contains(t, out, "Step 1's checks, on this step's code")
	assert.Contains(t, out, "✗ Double doubles")
	assert.Contains(t, out, "at steps/01-accept/accept_test.go:7", "the failure points at step 1's file")

	// The learner makes it pass by editing step 1's test.
	edited := strings.Replace(files["steps/01-accept/accept_test.go"], "{\n\tif Double(2)", "{\n\treturn\n\tif Double(2)", 1)
	require.NoError(t, os.WriteFile(filepath.Join(e.layout.Root, "steps/01-accept/accept_test.go"), []byte(edited), 0o644))
	e.out.(*bytes.Buffer).Reset()
	code, err = e.step(context.Background(), []string{"2"})
	require.NoError(t, err)
	out = e.out.(*bytes.Buffer).String()
	assert.Equal(t, 1, code, "a step whose borrowed test was edited must not pass:\n%s", out)
	assert.Contains(t, out, "steps/01-accept/accept_test.go was changed")
}

// give writes files into the sandbox and commits them with the manifest of
// the steps' test files, as the workshop gives them.
func give(t *testing.T, e *environment, files map[string]string, slugs ...string) {
	t.Helper()
	writeFiles(t, e.layout.Root, files)
	m, err := tamper.Build(e.layout.Root, slugs)
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Join(e.layout.Root, "tools", "course"), 0o755))
	require.NoError(t, m.Write(e.layout.Root))
	commitAll(t, e.layout.Root, "the steps as given")
}

// TestTheCacheKeyCoversEveryTestHelperPackage changes a file in a package
// below tools/wstest (as wstest/assert is): an earlier step's cached grade
// must not outlive a change in the assertions its tests use.
func TestTheCacheKeyCoversEveryTestHelperPackage(t *testing.T) {
	e := sandbox(t)
	writeFiles(t, e.layout.Root, map[string]string{
		"tools/wstest/wstest.go":        "package wstest\n",
		"tools/wstest/assert/assert.go": "package assert\n",
	})
	s := e.course.Steps[0]
	before, err := e.key(s)
	require.NoError(t, err)
	writeFiles(t, e.layout.Root, map[string]string{"tools/wstest/assert/assert.go": "package assert\n\n// changed\n"})
	after, err := e.key(s)
	require.NoError(t, err)
	assert.NotEqual(t, before, after, "a change in tools/wstest/assert must change the key of every step's cached grade")
}
