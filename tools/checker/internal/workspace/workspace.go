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

	"github.com/wsfromtcp/workshop/tools/checker/internal/layout"
)

// Workspace is the checkout a learner works in. Its methods name a step
// by its slug, such as "03-handshake", and work on its folder in steps/.
type Workspace struct {
	layout.Layout
	Now func() time.Time
}

// New returns the workspace of the checkout l.
func New(l layout.Layout) *Workspace {
	return &Workspace{Layout: l, Now: time.Now}
}

func (w *Workspace) stateDir() string { return filepath.Join(w.Root, ".workshop") }

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

// Pristine returns the untouched stub's code files of a step, by file
// name.
func (w *Workspace) Pristine(slug string) (map[string][]byte, error) {
	dir := layout.Dir(layout.Steps, slug)
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
		if !layout.IsCode(name) {
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

// Untouched reports whether the step's folder still holds exactly the
// stub.
func (w *Workspace) Untouched(slug string) (bool, error) {
	stub, err := w.Pristine(slug)
	if err != nil {
		return false, err
	}
	now, err := w.ReadCode(layout.Dir(layout.Steps, slug))
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

// replace makes the code files of a step exactly files: test files and
// anything that is not Go code are left alone.
func (w *Workspace) replace(slug string, files map[string][]byte) error {
	abs := w.Path(layout.Dir(layout.Steps, slug))
	old, err := layout.GoFiles(abs, layout.Code)
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

// Backup saves the code files of a step and returns the backup's folder,
// relative to the root.
func (w *Workspace) Backup(slug, why string) (string, error) {
	files, err := w.ReadCode(layout.Dir(layout.Steps, slug))
	if err != nil {
		return "", err
	}
	name := w.Now().UTC().Format("20060102-150405.000") + "-" + why
	rel := filepath.Join(".workshop", "backups", slug, name)
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
func (w *Workspace) Backups(slug string) ([]string, error) {
	root := filepath.Join(w.Root, ".workshop", "backups", slug)
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
			names = append(names, filepath.Join(".workshop", "backups", slug, e.Name()))
		}
	}
	sort.Sort(sort.Reverse(sort.StringSlice(names)))
	return names, nil
}

// Solve backs up the learner's step and copies the reference solution over
// it, with imports of solutions/ turned into imports of steps/, so that
// the step goes on building on the learner's own earlier steps.
func (w *Workspace) Solve(slug string) (backup string, err error) {
	sol, err := w.Reference(slug)
	if err != nil {
		return "", err
	}
	return w.backUpAndReplace(slug, "before-solve", sol)
}

// Reset backs up the learner's step and brings back the untouched stub.
func (w *Workspace) Reset(slug string) (backup string, err error) {
	stub, err := w.Pristine(slug)
	if err != nil {
		return "", err
	}
	return w.backUpAndReplace(slug, "before-reset", stub)
}

// backUpAndReplace backs up the learner's step, saying why, and makes its
// code files exactly files.
func (w *Workspace) backUpAndReplace(slug, why string, files map[string][]byte) (backup string, err error) {
	if backup, err = w.Backup(slug, why); err != nil {
		return "", err
	}
	return backup, w.replace(slug, files)
}

// Restore brings back the newest backup of a step and removes it. What
// the folder held until then is backed up first, so a restore can itself
// be undone by restoring again.
func (w *Workspace) Restore(slug string) (restored, saved string, err error) {
	backups, err := w.Backups(slug)
	if err != nil {
		return "", "", err
	}
	if len(backups) == 0 {
		return "", "", fmt.Errorf("workspace: there is no backup of %s to restore", layout.Dir(layout.Steps, slug))
	}
	restored = backups[0]
	files, err := w.ReadCode(restored)
	if err != nil {
		return "", "", err
	}
	if saved, err = w.backUpAndReplace(slug, "before-restore", files); err != nil {
		return "", "", err
	}
	return restored, saved, os.RemoveAll(filepath.Join(w.Root, restored))
}

// state is what .workshop/state.json keeps between runs.
type state struct {
	Hints     map[string]int      `json:"hints"`               // step slug → hints shown
	Grades    map[string]*StepLog `json:"grades,omitempty"`    // step slug → its grades so far (progress.go)
	Classroom *Classroom          `json:"classroom,omitempty"` // the live classroom joined, if any (progress.go)
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
