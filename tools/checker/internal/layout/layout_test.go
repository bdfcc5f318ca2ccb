package layout

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wsfromtcp/workshop/tools/course"
)

const module = "example.com/ws"

// checkout lays out a module with step 2 importing step 1, in both trees.
func checkout(t *testing.T) Layout {
	t.Helper()
	root := t.TempDir()
	for rel, data := range map[string]string{
		"go.mod":                  "module " + module + " // a comment\n\ngo 1.25\n",
		"steps/02-x/x.go":         "package x\n\nimport _ \"" + module + "/steps/01-y\"\n\n// TODO\n",
		"steps/02-x/mine.go":      "package x\n",
		"steps/02-x/x_test.go":    "package x\n\nimport _ \"" + module + "/steps/01-y\"\n",
		"steps/02-x/hints.md":     "## A nudge\n",
		"solutions/02-x/x.go":     "package x\n\nimport _ \"" + module + "/solutions/01-y\"\n\n// done\n",
		"solutions/02-x/extra.go": "package x\n",
	} {
		path := filepath.Join(root, rel)
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(data), 0o644))
	}
	l, err := At(root)
	require.NoError(t, err)
	return l
}

func TestTheModulePathIsReadFromGoMod(t *testing.T) {
	l := checkout(t)
	assert.Equal(t, module, l.Module)

	here, err := Find()
	require.NoError(t, err)
	assert.Equal(t, "github.com/wsfromtcp/workshop", here.Module, "the checker's own checkout, found from this package's folder")
	assert.FileExists(t, here.Path("go.mod"))
}

func TestAStepsFoldersAreTheCoursesFolders(t *testing.T) {
	for _, s := range course.MustLoad().Steps {
		assert.Equal(t, s.Dir(), Dir(Steps, s.Slug))
		assert.Equal(t, s.SolutionDir(), Dir(Solutions, s.Slug))
	}
}

func TestStepOfFindsTheStepInFilesAndFunctions(t *testing.T) {
	cases := map[string]int{
		"steps/01-accept/server.go":                      1,
		"./steps/03-handshake/accept.go":                 3,
		"/home/l/w/solutions/10-chat/x.go":               10,
		"github.com/x/w/steps/04-frame-decode.ReadFrame": 4,
	}
	for path, want := range cases {
		n, ok := StepOf(path)
		assert.True(t, ok, path)
		assert.Equal(t, want, n, path)
	}
	for _, path := range []string{"tools/wstest/wstest.go", "steps/cmd/chat/main.go", "mysteps/01-accept/x.go"} {
		_, ok := StepOf(path)
		assert.False(t, ok, "%s is in no step's folder", path)
	}
}

func TestGoFilesTellsCodeFromTests(t *testing.T) {
	l := checkout(t)
	dir := l.Path(Dir(Steps, "02-x"))
	code, err := GoFiles(dir, Code)
	require.NoError(t, err)
	assert.Equal(t, []string{"mine.go", "x.go"}, code)
	tests, err := GoFiles(dir, Tests)
	require.NoError(t, err)
	assert.Equal(t, []string{"x_test.go"}, tests)
	all, err := GoFiles(dir, Code|Tests)
	require.NoError(t, err)
	assert.Equal(t, []string{"mine.go", "x.go", "x_test.go"}, all, "hints.md is not Go")
}

func TestSolutionTestsRunTheStepsTestsOnTheReference(t *testing.T) {
	l := checkout(t)
	into := t.TempDir()
	o, err := l.SolutionTests(into, []string{"02-x"})
	require.NoError(t, err)
	copyPath, ok := o[l.Path("solutions/02-x/x_test.go")]
	require.True(t, ok, "the test file is placed in the solution's folder: %v", o)
	data, err := os.ReadFile(copyPath)
	require.NoError(t, err)
	assert.Equal(t, "package x\n\nimport _ \""+module+"/solutions/01-y\"\n", string(data), "a solution is graded with earlier solutions, never with a learner's code")

	require.NoError(t, o.Write(filepath.Join(into, "overlay.json")))
	raw, err := os.ReadFile(filepath.Join(into, "overlay.json"))
	require.NoError(t, err)
	var file struct{ Replace map[string]string }
	require.NoError(t, json.Unmarshal(raw, &file))
	assert.Equal(t, map[string]string(o), file.Replace, "the file is what go build -overlay reads")
}

func TestRerunCompilesAnEarlierStepsTestsIntoALaterStep(t *testing.T) {
	l := checkout(t)
	into := t.TempDir()
	o, err := l.Rerun(into, Solutions, "02-x", "03-z", "z", []string{"x_test.go"})
	require.NoError(t, err)
	copyPath, ok := o[l.Path("solutions/03-z/02-x_x_test.go")]
	require.True(t, ok, "the earlier step's test goes into the later reference, named after its step: %v", o)
	data, err := os.ReadFile(copyPath)
	require.NoError(t, err)
	assert.Equal(t, "package z\n\nimport _ \""+module+"/solutions/01-y\"\n", string(data),
		"the package clause is the later step's, the imports the references', the lines the same")

	mine, err := l.Rerun(into, Steps, "02-x", "03-z", "z", []string{"x_test.go"})
	require.NoError(t, err)
	copyPath, ok = mine[l.Path("steps/03-z/02-x_x_test.go")]
	require.True(t, ok, "the earlier step's test goes into the learner's later step too: %v", mine)
	data, err = os.ReadFile(copyPath)
	require.NoError(t, err)
	assert.Equal(t, "package z\n\nimport _ \""+module+"/steps/01-y\"\n", string(data),
		"in steps/ the imports stay the learner's")

	require.NoError(t, o.Write(filepath.Join(into, "o.json")))
	back, err := ReadOverlay(filepath.Join(into, "o.json"))
	require.NoError(t, err)
	assert.Equal(t, o, back, "ReadOverlay reads what Write wrote")

	_, err = l.Rerun(t.TempDir(), Solutions, "02-x", "03-z", "z", []string{"hints.md"})
	assert.ErrorContains(t, err, "no package clause")
}

func TestSwapReferencePutsTheReferenceInPlaceOfTheLearnersCode(t *testing.T) {
	l := checkout(t)
	o, err := l.SwapReference(t.TempDir(), []string{"02-x"})
	require.NoError(t, err)
	assert.Equal(t, "", o[l.Path("steps/02-x/mine.go")], "the learner's file that the reference lacks is left out of the build")
	data, err := os.ReadFile(o[l.Path("steps/02-x/x.go")])
	require.NoError(t, err)
	assert.Contains(t, string(data), `"`+module+`/steps/01-y"`, "the reference builds on the learner's earlier steps")
	assert.Contains(t, string(data), "// done")
	assert.NotEmpty(t, o[l.Path("steps/02-x/extra.go")], "every file of the reference is put in place")
	assert.NotContains(t, o, l.Path("steps/02-x/x_test.go"), "the tests are never swapped")
}
