package tamper

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/wsfromtcp/workshop/tools/checker/internal/layout"
)

// Kind is what happened to a test file.
type Kind string

const (
	Changed Kind = "changed" // the file is there, with other content
	Deleted Kind = "deleted" // the file is not there
	Added   Kind = "added"   // a *_test.go file that the workshop does not give
)

// Finding is one test file that is not as the workshop gave it.
type Finding struct {
	Kind Kind
	// Path is the file's path from the repository root, slash-separated,
	// such as "steps/01-accept/server_test.go".
	Path string
	// Checks are the checks that the workshop's version of the file holds
	// (none for an added file).
	Checks []string
	// Restore is the command that brings the workshop's version back, run
	// from the repository root, such as "git checkout -- steps/01-accept/server_test.go",
	// or "" when git cannot (no git, not a git work tree, or no commit that
	// holds the file as given).
	Restore string
	// Message says it all in one line, for the learner.
	Message string
}

// Report is what Check found for one step.
type Report struct {
	Slug     string
	Findings []Finding // changed and deleted files in the manifest's order, then added ones by name
	// Git tells whether git was asked and answered: it is asked only when
	// a file was changed or deleted, and it answers only in a git work tree.
	Git bool
}

// OK reports whether the step's test files are exactly the workshop's.
func (r Report) OK() bool { return len(r.Findings) == 0 }

// Check compares the test files in root/steps/<slug>/ with the manifest at
// root/tools/course/checks.json. See [CheckAgainst].
func Check(root, slug string) (Report, error) {
	m, err := Load(root)
	if err != nil {
		return Report{Slug: slug}, err
	}
	return CheckAgainst(m, root, slug)
}

// CheckAgainst compares the test files in root/steps/<slug>/ with the
// manifest m: a file of the manifest that is missing or has another hash,
// and a *_test.go file that the manifest does not list. It reads and hashes
// the step's test files and, only when one was changed or deleted, runs git
// once, to find a commit (HEAD, else origin/main) that holds every such file
// as the workshop gives it. It returns an error only when the manifest does
// not know the step or the step's folder cannot be read.
func CheckAgainst(m *Manifest, root, slug string) (Report, error) {
	r := Report{Slug: slug}
	want, ok := m.Steps[slug]
	if !ok {
		return r, fmt.Errorf("tamper: %s does not list step %s (a maintainer runs make checks-manifest)", ManifestPath, slug)
	}
	dir := filepath.Join(root, layout.Dir(layout.Steps, slug))
	have, err := layout.GoFiles(dir, layout.Tests)
	if err != nil {
		return r, fmt.Errorf("tamper: %w", err)
	}
	for _, f := range want.Files {
		src, err := os.ReadFile(filepath.Join(dir, f.Name))
		switch {
		case os.IsNotExist(err):
			r.Findings = append(r.Findings, Finding{Kind: Deleted, Path: stepPath(slug, f.Name), Checks: f.Checks})
		case err != nil:
			return r, fmt.Errorf("tamper: %w", err)
		case hash(src) != f.SHA256:
			r.Findings = append(r.Findings, Finding{Kind: Changed, Path: stepPath(slug, f.Name), Checks: f.Checks})
		}
	}
	for _, name := range have {
		if _, ok := want.file(name); !ok {
			r.Findings = append(r.Findings, Finding{Kind: Added, Path: stepPath(slug, name)})
		}
	}
	if len(r.Findings) == 0 {
		return r, nil
	}
	r.Git = restoreCommands(root, want, slug, r.Findings)
	for i := range r.Findings {
		r.Findings[i].Message = r.Findings[i].message()
	}
	return r, nil
}

func stepPath(slug, name string) string { return layout.Dir(layout.Steps, slug) + "/" + name }

// message is the finding's line for the learner.
func (f Finding) message() string {
	var what string
	switch f.Kind {
	case Added:
		return fmt.Sprintf("%s is not one of the workshop's test files, but go test builds it with them, so the grade could not vouch for the checks: move it out of %s to grade the step.",
			f.Path, f.Path[:strings.LastIndexByte(f.Path, '/')])
	case Deleted:
		what = fmt.Sprintf("%s is missing, so %s cannot run", f.Path, checksPhrase(f.Checks))
	default:
		what = fmt.Sprintf("%s was changed, so %s may not check what the workshop asks", f.Path, checksPhrase(f.Checks))
	}
	if f.Restore != "" {
		return fmt.Sprintf("%s: `%s` brings back the workshop's version (copy your changes elsewhere first if you want to keep them).", what, f.Restore)
	}
	return fmt.Sprintf("%s: copy %s from the workshop's repository to bring back the workshop's version.", what, f.Path)
}

// checksPhrase names the checks of a file, for a message.
func checksPhrase(checks []string) string {
	switch len(checks) {
	case 0:
		return "its checks"
	case 1:
		return "its check " + checks[0]
	case 2, 3:
		return "its checks " + strings.Join(checks[:len(checks)-1], ", ") + " and " + checks[len(checks)-1]
	default:
		return "its " + strconv.Itoa(len(checks)) + " checks (" + checks[0] + ", …)"
	}
}

// revisions are the commits, in order of preference, whose version of a
// file the learner can take back: the learner's last commit, then the
// workshop's own history.
var revisions = []string{"HEAD", "origin/main"}

// restoreCommands asks git, in one call, for the content of every changed
// or deleted file at each of revisions, and sets the Restore command of
// each finding whose file a revision holds as the manifest says. It
// reports whether git answered.
func restoreCommands(root string, want Step, slug string, findings []Finding) bool {
	var query bytes.Buffer
	type key struct{ rev, path string }
	var asked []key
	for _, f := range findings {
		if f.Kind == Added {
			continue
		}
		for _, rev := range revisions {
			// rev:./path is relative to the command's folder, root, which
			// need not be the top of the work tree.
			fmt.Fprintf(&query, "%s:./%s\n", rev, f.Path)
			asked = append(asked, key{rev, f.Path})
		}
	}
	if len(asked) == 0 {
		return false
	}
	cmd := exec.Command("git", "cat-file", "--batch")
	cmd.Dir = root
	cmd.Stdin = &query
	// A git that a hook or a script pointed elsewhere must look at root.
	cmd.Env = withoutGitLocation(os.Environ())
	out, err := cmd.Output()
	if err != nil {
		return false // no git, or root is not in a git work tree
	}
	contents, ok := parseBatch(out, len(asked))
	if !ok {
		return false
	}
	good := map[key]bool{}
	for i, k := range asked {
		name := k.path[strings.LastIndexByte(k.path, '/')+1:]
		f, _ := want.file(name)
		good[k] = contents[i] != nil && hash(contents[i]) == f.SHA256
	}
	for i, f := range findings {
		if f.Kind == Added {
			continue
		}
		for _, rev := range revisions {
			if good[key{rev, f.Path}] {
				if rev == "HEAD" {
					findings[i].Restore = "git checkout -- " + f.Path
				} else {
					findings[i].Restore = "git checkout " + rev + " -- " + f.Path
				}
				break
			}
		}
	}
	return true
}

// withoutGitLocation drops the variables that make git look at another
// repository or index than the one around its folder.
func withoutGitLocation(env []string) []string {
	var kept []string
	for _, kv := range env {
		switch name, _, _ := strings.Cut(kv, "="); name {
		case "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_COMMON_DIR":
		default:
			kept = append(kept, kv)
		}
	}
	return kept
}

// parseBatch reads n answers of git cat-file --batch: the content of each
// object asked for, or nil for one that is missing (or not a file).
func parseBatch(out []byte, n int) ([][]byte, bool) {
	r := bufio.NewReader(bytes.NewReader(out))
	contents := make([][]byte, n)
	for i := range n {
		header, err := r.ReadString('\n')
		if err != nil {
			return nil, false
		}
		fields := strings.Fields(header)
		if len(fields) != 3 {
			continue // "<name> missing" or "<name> ambiguous"
		}
		size, err := strconv.Atoi(fields[2])
		if err != nil {
			return nil, false
		}
		body := make([]byte, size+1) // the content and a newline
		if _, err := io.ReadFull(r, body); err != nil {
			return nil, false
		}
		if fields[1] == "blob" {
			contents[i] = body[:size]
		}
	}
	return contents, true
}
