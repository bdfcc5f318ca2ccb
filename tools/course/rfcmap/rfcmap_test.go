package rfcmap

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wsfromtcp/workshop/tools/course"
)

// root is the repository root, three folders up from this package.
const root = "../../.."

func scanRepo(t *testing.T) (*Trace, course.Course) {
	t.Helper()
	c := course.MustLoad()
	m, err := course.LoadRFC()
	require.NoError(t, err)
	tr, err := Scan(root, c, m)
	require.NoError(t, err, "the tags of solutions/, the step tests and the conformance suite must scan")
	return tr, c
}

func TestEveryRequirementIsImplementedAndCheckedOrDoesNotApply(t *testing.T) {
	tr, _ := scanRepo(t)
	assert.Empty(t, tr.Problems, "every tag names a requirement of tools/course/rfc6455.json, where it means something")
	assert.Empty(t, tr.Untraced(), "every requirement marked implemented needs a tag at its code in solutions/ "+
		"and one in a step test or conformance case that proves it; else mark it not-applicable with a reason")
	assert.True(t, strings.HasSuffix(tr.Coverage(), ", 0 untraced"), tr.Coverage())
}

func TestThePageAndTheLinksToItAreCurrent(t *testing.T) {
	tr, c := scanRepo(t)
	page, err := os.ReadFile(filepath.Join(root, Page))
	require.NoError(t, err, "run make rfc-map")
	assert.True(t, tr.Markdown(c) == string(page), "%s is stale: run make rfc-map", Page)

	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	require.NoError(t, err)
	want, err := tr.WithCoverage(string(readme))
	require.NoError(t, err)
	assert.True(t, want == string(readme), "README.md's coverage line is stale: run make rfc-map")

	linked := 0
	for _, s := range c.Steps {
		if len(tr.OfStep(s.Number)) == 0 {
			continue
		}
		linked++
		chapter, err := os.ReadFile(filepath.Join(root, s.Chapter()))
		if assert.NoError(t, err) {
			assert.Equal(t, string(chapter), WithChapterLine(string(chapter), s.Number), "%s must end with the link to its requirements: run make rfc-map", s.Chapter())
		}
	}
	assert.GreaterOrEqual(t, linked, 11, "steps 1 to 11 each implement requirements, and their chapters link them")
}

// A small tree, to see each kind of wrong tag reported.
func TestScanReportsUnknownIdsStrayTagsAndUntracedRequirements(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, text string) {
		require.NoError(t, os.MkdirAll(filepath.Join(dir, filepath.Dir(rel)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, rel), []byte(text), 0o644))
	}
	write("solutions/01-x/x.go", "package x\n\n// RFC 6455 §5.1 (R-5.1-1): here.\nvar A = 1\n\n// R-9-9 is no id.\nvar B = 2\n\n// R-9-1 does not apply.\nvar C = 3\n")
	write("steps/01-x/x.go", "package x\n")
	write("steps/01-x/x_test.go", "package x\n\nimport \"testing\"\n\n// Proves R-5.1-1.\nfunc TestA(t *testing.T) {\n\t// Also R-9-1.\n}\n\n"+
		"func helper() {\n\t// Proves R-5.1-2.\n}\n")
	write(CasesFile, "package suite\n\nfunc Cases() {\n\t// Proves R-5.1-2.\n\tadd(\"9.1\", \"5.1\", fmt.Sprintf(\"fails %d\", 1), nil)\n}\n")
	write(SuiteDir+"/ref_test.go", "package suite\n\nfunc TestRef(t *testing.T) {\n\t// Proves R-5.1-2.\n}\n")
	m := course.RFCMap{Sections: map[string]string{"5.1": "Overview", "9": "Extensions"}, Requirements: []course.Requirement{
		{ID: "R-5.1-1", Section: "5.1", Status: course.Implemented},
		{ID: "R-5.1-2", Section: "5.1", Status: course.Implemented},
		{ID: "R-9-1", Section: "9", Status: course.NotApplicable, Reason: "no extensions"},
	}}
	c := course.Course{Steps: []course.Step{{Number: 1, Slug: "01-x", Package: "x"}}}
	tr, err := Scan(dir, c, m)
	require.NoError(t, err)

	assert.Equal(t, []Site{{File: "solutions/01-x/x.go", Line: 3, Step: 1}}, tr.Impl["R-5.1-1"])
	assert.Equal(t, []Check{{Site: Site{File: "steps/01-x/x_test.go", Line: 6, Step: 1}, Kind: StepCheck, Name: "TestA"}}, tr.Checks["R-5.1-1"])
	assert.Equal(t, []Check{{Site: Site{File: CasesFile, Line: 5}, Kind: ConformanceCase, Name: "9.1 fails n"},
		{Site: Site{File: SuiteDir + "/ref_test.go", Line: 3}, Kind: ReferenceTest, Name: "TestRef"}}, tr.Checks["R-5.1-2"])
	assert.Equal(t, []string{"R-5.1-1", "R-9-1"}, tr.ByCheck["01-x/TestA"])
	assert.Equal(t, []string{"R-5.1-1"}, tr.Quoted["01-x/TestA"], "a check quotes what its first tag line names")
	require.Len(t, tr.Problems, 3)
	assert.Contains(t, tr.Problems[0], "R-9-9 is not an id")
	assert.Contains(t, tr.Problems[1], "R-9-1 is marked not applicable")
	assert.Contains(t, tr.Problems[2], "R-5.1-2 is tagged outside a Test")
	assert.Equal(t, []string{"R-5.1-2: implemented, but no tag in solutions/ says where"}, tr.Untraced())
	assert.Equal(t, "RFC 6455 server requirements: 1 implemented and checked, 1 not applicable, 1 untraced", tr.Coverage())

	quotes := tr.Quotes(c.Steps[0], "TestA", 2)
	require.Len(t, quotes, 1)
	assert.Equal(t, "R-5.1-1", quotes[0].ID)
	assert.Contains(t, tr.Markdown(c), "**Untraced**", "the page marks what is untraced too")
}

func TestWithChapterLineAddsTheLinkOnceAndKeepsItLast(t *testing.T) {
	once := WithChapterLine("# Chapter\n\nText.\n", 3)
	assert.Equal(t, "# Chapter\n\nText.\n\n"+ChapterLine(3)+"\n", once)
	assert.Equal(t, once, WithChapterLine(once, 3), "a second run changes nothing")
	assert.Contains(t, ChapterLine(3), "(rfc6455.md#step-3)")
}
