package course

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// root is the repository root, two folders up from this package.
const root = "../.."

func TestEveryStepHasItsFoldersChapterAndSections(t *testing.T) {
	c, err := Load()
	require.NoError(t, err, "steps.json must parse")
	require.NotEmpty(t, c.Steps)
	for i, s := range c.Steps {
		assert.Equal(t, i+1, s.Number, "steps are numbered 1, 2, 3… in order")
		assert.True(t, strings.HasPrefix(s.Slug, twoDigits(s.Number)+"-"), "the folder of step %d starts with its number: %q", s.Number, s.Slug)
		for _, dir := range []string{s.Dir(), s.SolutionDir()} {
			info, err := os.Stat(filepath.Join(root, dir))
			if assert.NoError(t, err, "step %d needs the folder %s", s.Number, dir) {
				assert.True(t, info.IsDir())
			}
		}
		_, err := os.Stat(filepath.Join(root, s.Chapter()))
		assert.NoError(t, err, "step %d needs its chapter %s", s.Number, s.Chapter())
		assert.NotEmpty(t, s.Sections, "step %d must say which RFC sections to read", s.Number)
		for _, n := range s.Needs {
			assert.Less(t, n, s.Number, "step %d may only build on earlier steps, not step %d", s.Number, n)
		}
	}
}

func TestReadmeStepTableIsMadeFromStepsJSON(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	require.NoError(t, err)
	want, err := MustLoad().WithStepTable(string(readme))
	require.NoError(t, err)
	assert.True(t, want == string(readme), "README.md's step table differs from tools/course/steps.json: run make readme-steps")
}

func TestWithStepTableReplacesWhatIsBetweenTheMarkers(t *testing.T) {
	c := Course{Steps: []Step{{Number: 1, Slug: "01-accept", Title: "Accept", Builds: "a `server`"}}}
	got, err := c.WithStepTable("intro\n" + stepTableStart + "| old |\n" + stepTableEnd + "\nrest\n")
	require.NoError(t, err)
	assert.Equal(t, "intro\n"+stepTableStart+"| Step | Chapter | Grade it | You build |\n| --- | --- | --- | --- |\n"+
		"| 01 | [Accept](docs/01-accept.md) | `make step1` | a `server` |\n"+stepTableEnd+"\nrest\n", got)
	_, err = c.WithStepTable("no markers\n")
	assert.Error(t, err, "a README without the markers has no place for the table")
	_, err = c.WithStepTable(stepTableStart + "| no end |\n")
	assert.Error(t, err, "a README with the start marker alone has no end to the table")
}

func TestSectionLabelsAndLinks(t *testing.T) {
	c := MustLoad()
	s := Section{RFC: "rfc6455", Section: "4.2.2"}
	assert.Equal(t, "RFC 6455 §4.2.2", s.Label())
	assert.Equal(t, "https://www.rfc-editor.org/rfc/rfc6455#section-4.2.2", c.URL(s))
}

func twoDigits(n int) string { return fmt.Sprintf("%02d", n) }

func TestInstructorGuideTimesEveryStep(t *testing.T) {
	guide, err := os.ReadFile(filepath.Join(root, "docs", "instructors.md"))
	require.NoError(t, err)
	for _, s := range MustLoad().Steps {
		row := fmt.Sprintf("| %s | %d | [%s](%s.md) |", twoDigits(s.Number), s.Minutes, s.Title, s.Slug)
		assert.True(t, strings.Contains(string(guide), row), "docs/instructors.md's timing table must list step %d as in tools/course/steps.json, with this row:\n%s", s.Number, row)
	}
}

func TestEveryStepHasAtLeastThreeHints(t *testing.T) {
	for _, s := range MustLoad().Steps {
		data, err := os.ReadFile(filepath.Join(root, s.Dir(), "hints.md"))
		if !assert.NoError(t, err, "step %d needs %s/hints.md for make hint", s.Number, s.Dir()) {
			continue
		}
		n := strings.Count("\n"+string(data), "\n## ")
		assert.GreaterOrEqual(t, n, 3, "%s/hints.md should hold a nudge, the RFC passage and the shape of the code", s.Dir())
	}
}

func TestEveryChapterEndsWithCheckYourWorkAndGoingFurther(t *testing.T) {
	for _, s := range MustLoad().Steps {
		data, err := os.ReadFile(filepath.Join(root, s.Chapter()))
		if !assert.NoError(t, err) {
			continue
		}
		text := string(data)
		check, further := strings.Index(text, "\n## Check your work"), strings.Index(text, "\n## Going further")
		assert.True(t, check > 0 && further > check, "%s must have a \"Check your work\" section and then a \"Going further\" one", s.Chapter())
		assert.NotContains(t, text[max(further, 0)+1:], "\n## ", "%s must end with \"Going further\"", s.Chapter())
		assert.True(t, strings.Contains(text, fmt.Sprintf("make step%d", s.Number)), "%s must say how to grade the step (make step%d)", s.Chapter(), s.Number)
	}
}

// TestTheBugCatalogueCoversEveryStep keeps the catalogue of learner bugs
// (bugs/, proven by make bugs) broad: at least six per step and sixty in
// all, each a valid edit.
func TestTheBugCatalogueCoversEveryStep(t *testing.T) {
	c := MustLoad()
	bugs, err := c.Bugs()
	require.NoError(t, err, "the bug catalogue must load")
	perStep := map[int]int{}
	for _, b := range bugs {
		perStep[b.Step.Number]++
		for _, e := range b.Edits {
			data, err := os.ReadFile(filepath.Join(root, b.Step.SolutionDir(), e.File))
			if assert.NoError(t, err, "bug %s edits a file of %s", b.Name, b.Step.SolutionDir()) {
				_, err := e.Apply(string(data))
				assert.NoError(t, err, "bug %s must still apply to %s", b.Name, b.Step.SolutionDir())
			}
		}
	}
	for _, s := range c.Steps {
		assert.GreaterOrEqual(t, perStep[s.Number], 6, "step %d needs at least six catalogued bugs in tools/course/bugs/%s.json", s.Number, s.Slug)
	}
	assert.GreaterOrEqual(t, len(bugs), 60, "the catalogue needs at least sixty bugs in all")
}

func TestEditApplyFindsExactlyOnce(t *testing.T) {
	e := Edit{File: "x.go", Find: "a", Replace: "b"}
	got, err := e.Apply("xay")
	require.NoError(t, err)
	assert.Equal(t, "xby", got)
	_, err = e.Apply("aa")
	assert.Error(t, err, "an edit that matches twice is ambiguous")
	_, err = e.Apply("zzz")
	assert.Error(t, err, "an edit that matches nothing no longer points at real code")
}
