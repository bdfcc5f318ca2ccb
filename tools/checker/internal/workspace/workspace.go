// Package workspace manages the learner's copy of the workshop: which step
// files are still the untouched stubs, the backups made before a step is
// replaced, and how many hints each step has given. Its state lives in
// .workshop/ at the repository root, which git ignores.
package workspace

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/wsfromtcp/workshop/tools/checker/internal/gotest"
)

// Workspace is the repository a learner works in.
type Workspace struct {
	Root   string // the repository root
	Module string // the module path, whose steps/ and solutions/ imports are swapped on solve
	Now    func() time.Time
}

// New returns the workspace rooted at root.
func New(root, module string) *Workspace {
	return &Workspace{Root: root, Module: module, Now: time.Now}
}

func (w *Workspace) stateDir() string { return filepath.Join(w.Root, ".workshop") }

// sourceFiles lists the non-test .go files of a folder, the learner's code.
func sourceFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		n := e.Name()
		if !e.IsDir() && strings.HasSuffix(n, ".go") && !strings.HasSuffix(n, "_test.go") {
			names = append(names, n)
		}
	}
	return names, nil
}

// Base is the git revision that holds the untouched stubs: where the
// learner's branch left the workshop's own history (origin's main), or
// HEAD when the repository has no such remote.
func (w *Workspace) Base() (string, error) {
	for _, args := range [][]string{
		{"merge-base", "HEAD", "origin/main"},
		{"merge-base", "HEAD", "origin/HEAD"},
		{"rev-parse", "HEAD"},
	} {
		out, err := w.git(args...)
		if err == nil && len(out) > 0 {
			return strings.TrimSpace(string(out)), nil
		}
	}
	return "", errors.New("workspace: this folder is not a git clone of the workshop, so the untouched stubs cannot be found")
}

func (w *Workspace) git(args ...string) ([]byte, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = w.Root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

// Pristine returns the untouched stub's source files of a step folder
// (such as "steps/03-handshake"), by file name.
func (w *Workspace) Pristine(dir string) (map[string][]byte, error) {
	base, err := w.Base()
	if err != nil {
		return nil, err
	}
	out, err := w.git("ls-tree", "--name-only", base, dir+"/")
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	for _, p := range strings.Fields(string(out)) {
		name := filepath.Base(p)
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		data, err := w.git("show", base+":"+p)
		if err != nil {
			return nil, err
		}
		files[name] = data
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("workspace: git has no stub files for %s at %.12s", dir, base)
	}
	return files, nil
}

// Untouched reports whether the step folder still holds exactly the stub.
func (w *Workspace) Untouched(dir string) (bool, error) {
	stub, err := w.Pristine(dir)
	if err != nil {
		return false, err
	}
	now, err := w.read(dir)
	if err != nil {
		return false, err
	}
	if len(now) != len(stub) {
		return false, nil
	}
	for name, data := range stub {
		if !bytes.Equal(now[name], data) {
			return false, nil
		}
	}
	return true, nil
}

func (w *Workspace) read(dir string) (map[string][]byte, error) {
	names, err := sourceFiles(filepath.Join(w.Root, dir))
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join(w.Root, dir, n))
		if err != nil {
			return nil, err
		}
		files[n] = data
	}
	return files, nil
}

// replace makes the source files of dir exactly files: test files and
// anything that is not Go source are left alone.
func (w *Workspace) replace(dir string, files map[string][]byte) error {
	abs := filepath.Join(w.Root, dir)
	old, err := sourceFiles(abs)
	if err != nil {
		return err
	}
	for _, n := range old {
		if _, keep := files[n]; !keep {
			if err := os.Remove(filepath.Join(abs, n)); err != nil {
				return err
			}
		}
	}
	for n, data := range files {
		if err := os.WriteFile(filepath.Join(abs, n), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Backup saves the source files of a step folder and returns the backup's
// folder, relative to the root.
func (w *Workspace) Backup(dir, why string) (string, error) {
	files, err := w.read(dir)
	if err != nil {
		return "", err
	}
	name := w.Now().UTC().Format("20060102-150405.000") + "-" + why
	rel := filepath.Join(".workshop", "backups", filepath.Base(dir), name)
	abs := filepath.Join(w.Root, rel)
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return "", err
	}
	for n, data := range files {
		if err := os.WriteFile(filepath.Join(abs, n), data, 0o644); err != nil {
			return "", err
		}
	}
	return rel, nil
}

// Backups lists a step's backups, newest first.
func (w *Workspace) Backups(dir string) ([]string, error) {
	root := filepath.Join(w.Root, ".workshop", "backups", filepath.Base(dir))
	entries, err := os.ReadDir(root)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, filepath.Join(".workshop", "backups", filepath.Base(dir), e.Name()))
		}
	}
	sort.Sort(sort.Reverse(sort.StringSlice(names)))
	return names, nil
}

// Solve backs up the learner's step and copies the reference solution over
// it, with imports of solutions/ turned into imports of steps/, so that
// the step goes on building on the learner's own earlier steps.
func (w *Workspace) Solve(stepDir, solutionDir string) (backup string, err error) {
	sol, err := w.Reference(solutionDir)
	if err != nil {
		return "", err
	}
	if backup, err = w.Backup(stepDir, "before-solve"); err != nil {
		return "", err
	}
	return backup, w.replace(stepDir, sol)
}

// Reference returns the source files of a solution folder as they would
// stand in the learner's step: with imports of solutions/ turned into
// imports of steps/, so that they build on the learner's earlier steps.
func (w *Workspace) Reference(solutionDir string) (map[string][]byte, error) {
	sol, err := w.read(solutionDir)
	if err != nil {
		return nil, err
	}
	from, to := []byte(`"`+w.Module+"/solutions/"), []byte(`"`+w.Module+"/steps/")
	for n, data := range sol {
		sol[n] = bytes.ReplaceAll(data, from, to)
	}
	return sol, nil
}

// SwapOverlay returns `go build -overlay` replacements that put the
// reference solution in place of each of the learner's step folders in
// stepDirs (solutionDirs[i] for stepDirs[i]) without touching a file: the
// reference's files, rewritten as Reference does, are written under into
// (best the same from run to run, see gotest.WriteFile),
// and the learner's files that the reference lacks are hidden. Grading a
// later step with it tells whether a failure comes from those steps.
func (w *Workspace) SwapOverlay(into string, stepDirs, solutionDirs []string) (map[string]string, error) {
	replace := map[string]string{}
	for i, dir := range stepDirs {
		ref, err := w.Reference(solutionDirs[i])
		if err != nil {
			return nil, err
		}
		mine, err := sourceFiles(filepath.Join(w.Root, dir))
		if err != nil {
			return nil, err
		}
		for _, n := range mine {
			if _, ok := ref[n]; !ok {
				replace[filepath.Join(w.Root, dir, n)] = "" // hidden from the build
			}
		}
		copies := filepath.Join(into, filepath.Base(dir))
		for n, data := range ref {
			if err := gotest.WriteFile(filepath.Join(copies, n), data); err != nil {
				return nil, err
			}
			replace[filepath.Join(w.Root, dir, n)] = filepath.Join(copies, n)
		}
	}
	return replace, nil
}

// Reset backs up the learner's step and brings back the untouched stub.
func (w *Workspace) Reset(stepDir string) (backup string, err error) {
	stub, err := w.Pristine(stepDir)
	if err != nil {
		return "", err
	}
	if backup, err = w.Backup(stepDir, "before-reset"); err != nil {
		return "", err
	}
	return backup, w.replace(stepDir, stub)
}

// Restore brings back the newest backup of a step and removes it. What
// the folder held until then is backed up first, so a restore can itself
// be undone by restoring again.
func (w *Workspace) Restore(stepDir string) (restored, saved string, err error) {
	backups, err := w.Backups(stepDir)
	if err != nil {
		return "", "", err
	}
	if len(backups) == 0 {
		return "", "", fmt.Errorf("workspace: there is no backup of %s to restore", stepDir)
	}
	restored = backups[0]
	files, err := w.read(restored)
	if err != nil {
		return "", "", err
	}
	if saved, err = w.Backup(stepDir, "before-restore"); err != nil {
		return "", "", err
	}
	if err := w.replace(stepDir, files); err != nil {
		return "", "", err
	}
	return restored, saved, os.RemoveAll(filepath.Join(w.Root, restored))
}

// state is what .workshop/state.json keeps between runs.
type state struct {
	Hints map[string]int `json:"hints"` // step slug → hints shown
}

func (w *Workspace) loadState() (state, error) {
	st := state{Hints: map[string]int{}}
	data, err := os.ReadFile(filepath.Join(w.stateDir(), "state.json"))
	if errors.Is(err, os.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return st, err
	}
	if err := json.Unmarshal(data, &st); err != nil {
		return st, fmt.Errorf("workspace: .workshop/state.json: %w", err)
	}
	if st.Hints == nil {
		st.Hints = map[string]int{}
	}
	return st, nil
}

func (w *Workspace) saveState(st state) error {
	if err := os.MkdirAll(w.stateDir(), 0o755); err != nil {
		return err
	}
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(w.stateDir(), "state.json"), append(data, '\n'), 0o644)
}

// HintsTaken is how many hints a step has shown.
func (w *Workspace) HintsTaken(slug string) (int, error) {
	st, err := w.loadState()
	return st.Hints[slug], err
}

// TakeHint records one more hint for a step, up to available, and returns
// the number of the hint to show (1-based).
func (w *Workspace) TakeHint(slug string, available int) (int, error) {
	st, err := w.loadState()
	if err != nil {
		return 0, err
	}
	n := min(st.Hints[slug]+1, available)
	st.Hints[slug] = n
	return n, w.saveState(st)
}
