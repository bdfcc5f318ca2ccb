package tamper

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The demo step: a stub, two test files with three checks.
const (
	demoSlug = "01-demo"
	demoStub = "package demo\n\nfunc Answer() int { panic(\"TODO(step 1)\") }\n"
	demoA    = `package demo

import "testing"

func TestAnswerIsFortyTwo(t *testing.T) {
	if Answer() != 42 {
		t.Fatal("Answer() should be 42")
	}
}

func TestAnswerIsEven(t *testing.T) {
	if Answer()%2 != 0 {
		t.Fatal("Answer() should be even")
	}
}
`
	demoB = `package demo

import "fmt"

func ExampleAnswer() {
	fmt.Println(Answer())
	// Output: 42
}
`
)

var (
	pathA     = "steps/" + demoSlug + "/a_test.go"
	pathB     = "steps/" + demoSlug + "/b_test.go"
	pathMine  = "steps/" + demoSlug + "/mine_test.go"
	checksOfA = []string{"TestAnswerIsFortyTwo", "TestAnswerIsEven"}
)

// writeDemo lays out the demo step and its manifest under root.
func writeDemo(t *testing.T, root string) {
	t.Helper()
	write(t, root, "steps/"+demoSlug+"/demo.go", demoStub)
	write(t, root, pathA, demoA)
	write(t, root, pathB, demoB)
	require.NoError(t, os.MkdirAll(filepath.Join(root, "tools", "course"), 0o755))
	m, err := Build(root, []string{demoSlug})
	require.NoError(t, err)
	require.NoError(t, m.Write(root))
}

func write(t *testing.T, root, path, content string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(path))
	require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
	require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
}

// git runs git in dir with a fixed identity and no user configuration.
func git(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=Learner", "-c", "user.email=learner@example.com", "-c", "commit.gpgsign=false"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(withoutGitLocation(os.Environ()), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "git %s: %s", strings.Join(args, " "), out)
}

// commitAll makes dir a git repository (once) and commits everything in it.
func commitAll(t *testing.T, dir, message string) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(dir, ".git")); err != nil {
		git(t, dir, "init", "-q", "-b", "main")
	}
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", message)
}

// Learners' edits of the demo step.
var (
	untouched = func(t *testing.T, root string) {}
	// The most tempting edit: a failing check made to pass.
	editCheck = func(t *testing.T, root string) {
		write(t, root, pathA, strings.Replace(demoA, "\tif Answer() != 42 {", "\treturn\n\tif Answer() != 42 {", 1))
	}
	deleteB = func(t *testing.T, root string) {
		require.NoError(t, os.Remove(filepath.Join(root, filepath.FromSlash(pathB))))
	}
	addMine  = func(t *testing.T, root string) { write(t, root, pathMine, "package demo\n") }
	withCRLF = func(t *testing.T, root string) { write(t, root, pathA, strings.ReplaceAll(demoA, "\n", "\r\n")) }
	solve    = func(t *testing.T, root string) {
		write(t, root, "steps/"+demoSlug+"/demo.go", "package demo\n\nfunc Answer() int { return 42 }\n")
	}
)

// finding is what a test expects of a Finding.
type finding struct {
	kind   Kind
	path   string
	checks []string
}

func TestCheckFindsChangedDeletedAndAddedTestFiles(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(t *testing.T, root string)
		want  []finding
		noGit bool // git is not asked: nothing to bring back
	}{
		{name: "untouched", edit: untouched, noGit: true},
		{name: "the learner's own code changed", edit: solve, noGit: true},
		{name: "CRLF line endings", edit: withCRLF, noGit: true},
		{name: "a check edited to return", edit: editCheck, want: []finding{{Changed, pathA, checksOfA}}},
		{name: "a test file deleted", edit: deleteB, want: []finding{{Deleted, pathB, []string{"ExampleAnswer"}}}},
		{name: "a test file added", edit: addMine, want: []finding{{Added, pathMine, nil}}, noGit: true},
		{
			name: "all at once",
			edit: func(t *testing.T, root string) { editCheck(t, root); deleteB(t, root); addMine(t, root) },
			want: []finding{{Changed, pathA, checksOfA}, {Deleted, pathB, []string{"ExampleAnswer"}}, {Added, pathMine, nil}},
		},
	}
	modes := []struct {
		name string
		// layout lays out the untouched demo step in dir and returns the
		// folder that Check gets as root (a subfolder when the repository
		// is bigger than the workshop). It runs once per mode; each case
		// gets a copy.
		layout func(t *testing.T, dir string) string
		// env sets the environment of a case, whose root is given.
		env func(t *testing.T, root string)
		git bool // git can bring the files back
	}{
		{name: "in a git clone", git: true, layout: func(t *testing.T, dir string) string {
			writeDemo(t, dir)
			commitAll(t, dir, "the workshop")
			return "."
		}},
		{name: "in a folder of a bigger git repository", git: true, layout: func(t *testing.T, dir string) string {
			// The learner's home folder is a repository, and the workshop
			// was unpacked into it: paths in git are not the workshop's.
			writeDemo(t, filepath.Join(dir, "workshop"))
			write(t, dir, "notes.txt", "my notes\n")
			commitAll(t, dir, "my home, with the workshop in it")
			return "workshop"
		}},
		{name: "outside any git repository", layout: func(t *testing.T, dir string) string {
			writeDemo(t, dir)
			return "."
		}, env: func(t *testing.T, root string) {
			t.Setenv("GIT_CEILING_DIRECTORIES", filepath.Dir(root))
		}},
		{name: "without git on PATH", layout: func(t *testing.T, dir string) string {
			writeDemo(t, dir)
			return "."
		}, env: func(t *testing.T, root string) {
			t.Setenv("PATH", t.TempDir())
		}},
	}
	for _, mode := range modes {
		template := t.TempDir()
		rel := mode.layout(t, template)
		for _, tc := range cases {
			t.Run(mode.name+"/"+tc.name, func(t *testing.T) {
				dir := filepath.Join(t.TempDir(), "copy")
				require.NoError(t, os.CopyFS(dir, os.DirFS(template)))
				root := filepath.Join(dir, rel)
				if mode.env != nil {
					mode.env(t, root)
				}
				tc.edit(t, root)

				r, err := Check(root, demoSlug)
				require.NoError(t, err)
				assert.Equal(t, demoSlug, r.Slug)
				require.Len(t, r.Findings, len(tc.want), "findings: %+v", r.Findings)
				assert.Equal(t, len(tc.want) == 0, r.OK(), "OK should say whether there is nothing to report")
				assert.Equal(t, mode.git && !tc.noGit, r.Git, "git should be asked only about a changed or deleted file, and answer only in a git work tree")
				for i, f := range r.Findings {
					w := tc.want[i]
					assert.Equal(t, w.kind, f.Kind, "finding %d", i)
					assert.Equal(t, w.path, f.Path, "finding %d", i)
					assert.Equal(t, w.checks, f.Checks, "finding %d: the checks of the workshop's version of the file", i)
					assert.Contains(t, f.Message, f.Path, "the message should name the file")
					assert.NotContains(t, f.Message, "\n", "the message should be one line")
					switch {
					case f.Kind == Added:
						assert.Empty(t, f.Restore, "an added file has nothing to bring back")
						assert.Contains(t, f.Message, "move it out of steps/"+demoSlug)
					case mode.git:
						assert.Equal(t, "git checkout -- "+f.Path, f.Restore, "git's commit holds the workshop's version")
						assert.Contains(t, f.Message, "`git checkout -- "+f.Path+"` brings back the workshop's version")
					default:
						assert.Empty(t, f.Restore, "without git there is no command to bring the file back")
						assert.Contains(t, f.Message, "copy "+f.Path+" from the workshop's repository")
					}
					if f.Kind == Deleted {
						assert.Contains(t, f.Message, "is missing, so its check ExampleAnswer cannot run")
					}
				}

				// What the messages say to do makes the step whole again.
				for _, f := range r.Findings {
					if f.Kind == Added {
						require.NoError(t, os.Remove(filepath.Join(root, filepath.FromSlash(f.Path))))
					} else if f.Restore != "" {
						args := strings.Fields(f.Restore)
						git(t, root, args[1:]...)
					}
				}
				if mode.git {
					assertWorkshops(t, root, "after doing what the messages say, the step's test files should be the workshop's again")
				}
			})
		}
	}
}

func TestCheckLooksForTheWorkshopsVersionBeyondTheLearnersCommits(t *testing.T) {
	root := filepath.Join(t.TempDir(), "workshop")
	writeDemo(t, root)
	commitAll(t, root, "the workshop")
	git(t, root, "update-ref", "refs/remotes/origin/main", "HEAD")
	editCheck(t, root)
	deleteB(t, root)
	commitAll(t, root, "the learner commits the edited check")

	r := checkWithGit(t, root, 2)
	assert.Equal(t, "git checkout origin/main -- "+pathA, r.Findings[0].Restore,
		"HEAD holds the edited file, so only the workshop's history can bring it back")
	assert.Equal(t, "git checkout origin/main -- "+pathB, r.Findings[1].Restore)

	git(t, root, "checkout", "origin/main", "--", pathA)
	git(t, root, "checkout", "origin/main", "--", pathB)
	assertWorkshops(t, root, "the commands should bring the workshop's versions back")
}

// checkWithGit checks the demo step, which should have n findings that
// git was asked about.
func checkWithGit(t *testing.T, root string, n int) Report {
	t.Helper()
	r, err := Check(root, demoSlug)
	require.NoError(t, err)
	require.Len(t, r.Findings, n, "findings: %+v", r.Findings)
	assert.True(t, r.Git, "git answered")
	return r
}

// assertWorkshops checks that the demo step's test files are the
// workshop's, saying why they should be.
func assertWorkshops(t *testing.T, root, why string) {
	t.Helper()
	r, err := Check(root, demoSlug)
	require.NoError(t, err)
	assert.True(t, r.OK(), "%s: %+v", why, r.Findings)
}

func TestCheckNamesNoGitCommandWhenNoCommitHoldsTheWorkshopsVersion(t *testing.T) {
	root := filepath.Join(t.TempDir(), "workshop")
	writeDemo(t, root)
	editCheck(t, root)
	commitAll(t, root, "edited before the first commit")

	r := checkWithGit(t, root, 1)
	assert.Empty(t, r.Findings[0].Restore, "git checkout would bring back the edited file: not a way back")
	assert.Contains(t, r.Findings[0].Message, "copy "+pathA+" from the workshop's repository")
}

func TestCheckFailsForAStepTheManifestDoesNotList(t *testing.T) {
	root := filepath.Join(t.TempDir(), "workshop")
	writeDemo(t, root)
	_, err := Check(root, "02-other")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "does not list step 02-other")

	require.NoError(t, os.Remove(filepath.Join(root, filepath.FromSlash(ManifestPath))))
	_, err = Check(root, demoSlug)
	require.Error(t, err, "without a manifest nothing can be compared")
	assert.Contains(t, err.Error(), "reading the list of the workshop's test files")
}

func TestCheckOfTheRealStepsFindsNothingOnTheCommittedTests(t *testing.T) {
	// The repository's own manifest against its own steps: what a learner
	// who changed nothing gets. (When a maintainer has changed a test and
	// not yet written the manifest again, the manifest test says so too.)
	root := repoRoot(t)
	m, err := Load(root)
	require.NoError(t, err)
	for slug := range m.Steps {
		r, err := CheckAgainst(m, root, slug)
		require.NoError(t, err)
		assert.True(t, r.OK(), "steps/%s: %+v (run make checks-manifest if a test was changed on purpose)", slug, r.Findings)
	}
}
