package tamper

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wsfromtcp/workshop/tools/checker/internal/grade"
	"github.com/wsfromtcp/workshop/tools/course"
)

// repoRoot is the repository root, four folders up from this package.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", "..", "..", ".."))
	require.NoError(t, err)
	require.FileExists(t, filepath.Join(root, "go.mod"), "the repository root should hold go.mod")
	return root
}

func TestTheManifestListsTheStepTestsAsTheyAre(t *testing.T) {
	root := repoRoot(t)
	c, err := course.Load()
	require.NoError(t, err)
	var slugs []string
	for _, s := range c.Steps {
		slugs = append(slugs, s.Slug)
	}
	fresh, err := Build(root, slugs)
	require.NoError(t, err)
	saved, err := Load(root)
	require.NoError(t, err, "%s should exist: make checks-manifest writes it", ManifestPath)

	// Name each file that differs, so the maintainer sees what changed.
	for _, slug := range slugs {
		want, have := fresh.Steps[slug], saved.Steps[slug]
		for _, f := range want.Files {
			g, ok := have.file(f.Name)
			switch {
			case !ok:
				t.Errorf("%s does not list steps/%s/%s: run make checks-manifest", ManifestPath, slug, f.Name)
			case g.SHA256 != f.SHA256 || !slices.Equal(g.Checks, f.Checks):
				t.Errorf("%s is stale for steps/%s/%s, which changed: run make checks-manifest", ManifestPath, slug, f.Name)
			}
		}
		for _, g := range have.Files {
			if _, ok := want.file(g.Name); !ok {
				t.Errorf("%s lists steps/%s/%s, which is gone: run make checks-manifest", ManifestPath, slug, g.Name)
			}
		}
	}
	for slug := range saved.Steps {
		if _, ok := fresh.Steps[slug]; !ok {
			t.Errorf("%s lists step %s, which steps.json does not: run make checks-manifest", ManifestPath, slug)
		}
	}
	// And the file is byte for byte what make checks-manifest writes.
	want, err := fresh.Marshal()
	require.NoError(t, err)
	have, err := os.ReadFile(filepath.Join(root, ManifestPath))
	require.NoError(t, err)
	assert.True(t, string(want) == string(have), "%s should be exactly what make checks-manifest writes: run make checks-manifest", ManifestPath)
}

func TestChecksAreTheFunctionsGoTestRunsInSourceOrder(t *testing.T) {
	src := `package demo

import "testing"

func TestMain(m *testing.M) { m.Run() }

func TestZebraComesFirst(t *testing.T) {}

func Testhelper(t *testing.T) {} // lower case after Test: not a test

func helper() {}

type suite struct{}

func (suite) TestMethod(t *testing.T) {} // a method: not a test

func ExampleWithoutOutput() {}

func FuzzParse(f *testing.F) {}

func ExampleWithOutput() {
	// Output:
	// hi
}

func TestAardvarkComesLast(t *testing.T) {}
`
	checks, err := grade.FileChecks("demo_test.go", []byte(src))
	require.NoError(t, err)
	assert.Equal(t, []string{"TestZebraComesFirst", "FuzzParse", "ExampleWithOutput", "TestAardvarkComesLast"}, checks,
		"the checks are the tests, fuzz targets and examples with output that go test runs, in source order; not TestMain, helpers, methods or examples without output")
}

func TestTheHashIgnoresCRLFLineEndings(t *testing.T) {
	assert.Equal(t, hash([]byte("package a\n\nfunc A() {}\n")), hash([]byte("package a\r\n\r\nfunc A() {}\r\n")),
		"a file checked out with CRLF line endings (git on Windows) is the same file")
	assert.NotEqual(t, hash([]byte("package a\n")), hash([]byte("package b\n")))
}

func TestChecksListsAStepsChecksFileByFile(t *testing.T) {
	m := &Manifest{Steps: map[string]Step{"01-demo": {Files: []File{
		{Name: "a_test.go", Checks: []string{"TestB", "TestA"}},
		{Name: "b_test.go", Checks: []string{"ExampleX"}},
	}}}}
	checks, ok := m.Checks("01-demo")
	require.True(t, ok)
	assert.Equal(t, []string{"TestB", "TestA", "ExampleX"}, checks)
	_, ok = m.Checks("99-none")
	assert.False(t, ok, "a step the manifest does not list")
}

func TestStepChecksAddsTheChecksAStepBorrowsAfterItsOwn(t *testing.T) {
	m := &Manifest{Steps: map[string]Step{
		"01-demo": {Files: []File{
			{Name: "a_test.go", Checks: []string{"TestB", "TestA"}},
			{Name: "helpers_test.go", Checks: []string{}},
			{Name: "z_test.go", Checks: []string{"TestNotBorrowed"}},
		}},
		"02-later": {Files: []File{{Name: "own_test.go", Checks: []string{"TestOwn"}}}},
	}}
	later := course.Step{Number: 2, Slug: "02-later",
		AlsoPasses: &course.Rerun{Step: 1, Slug: "01-demo", Files: []string{"a_test.go", "helpers_test.go"}}}
	checks, ok := m.StepChecks(later)
	require.True(t, ok)
	assert.Equal(t, []string{"TestOwn", "TestB", "TestA"}, checks, "the step's own checks, then those of the files it borrows, and only those")

	later.AlsoPasses.Files = []string{"gone_test.go"}
	_, ok = m.StepChecks(later)
	assert.False(t, ok, "a borrowed file the manifest does not list")
	checks, ok = m.StepChecks(course.Step{Slug: "01-demo"})
	require.True(t, ok)
	assert.Equal(t, []string{"TestB", "TestA", "TestNotBorrowed"}, checks, "a step that borrows nothing has its own checks")
}
