package layout

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
)

// Rewrite turns src's imports of the workshop's packages in tree from into
// imports of the same packages in tree to: `"<module>/steps/04-frame-decode"`
// becomes `"<module>/solutions/04-frame-decode"`. Only import paths change,
// so line numbers stay the same.
func (l Layout) Rewrite(src []byte, from, to Tree) []byte {
	prefix := func(t Tree) []byte { return []byte(`"` + l.Module + "/" + string(t) + "/") }
	return bytes.ReplaceAll(src, prefix(from), prefix(to))
}

// Overlay is what `go build -overlay` reads: for a file of the checkout
// (an absolute path), the file to build in its place, or "" to leave the
// file out of the build. Nothing in the checkout changes.
type Overlay map[string]string

// Write writes the overlay file to path.
func (o Overlay) Write(path string) error {
	data, err := json.Marshal(struct{ Replace map[string]string }{o})
	if err != nil {
		return err
	}
	return WriteFile(path, data)
}

// SolutionTests is the overlay that places every test file of each step
// folder in steps/ into the matching folder in solutions/, so that the
// tests written once next to the learner's stub also run against the
// reference solution. A test may import an earlier step's package (step
// 5's tests use step 4's frame.Header); in the copy, such imports point at
// solutions/, so that a solution is never graded with a learner's code.
// The copies are written under into.
func (l Layout) SolutionTests(into string, slugs []string) (Overlay, error) {
	o := Overlay{}
	for _, slug := range slugs {
		tests, err := GoFiles(l.Path(Dir(Steps, slug)), Tests)
		if err != nil {
			return nil, err
		}
		for _, name := range tests {
			data, err := os.ReadFile(l.Path(Dir(Steps, slug), name))
			if err != nil {
				return nil, err
			}
			copyPath := filepath.Join(into, "overlay", slug, name)
			if err := WriteFile(copyPath, l.Rewrite(data, Steps, Solutions)); err != nil {
				return nil, err
			}
			o[l.Path(Dir(Solutions, slug), name)] = copyPath
		}
	}
	return o, nil
}

// Rerun is the overlay that compiles test files of step from into step
// to's package in tree, beside to's own tests: the files, with their
// package clause changed to pkg, go into tree/to as "from_<name>" (step
// 8's conn_test.go becomes 08-control_conn_test.go). In solutions/ their
// imports point at solutions/, so that a reference is graded with the
// references only; in steps/ they stay the learner's. Nothing else
// changes, so the line numbers of a failure are the original file's. The
// copies are written under into.
func (l Layout) Rerun(into string, tree Tree, from, to, pkg string, files []string) (Overlay, error) {
	o := Overlay{}
	for _, name := range files {
		data, err := os.ReadFile(l.Path(Dir(Steps, from), name))
		if err != nil {
			return nil, err
		}
		if tree == Solutions {
			data = l.Rewrite(data, Steps, Solutions)
		}
		clause := packageClause.FindIndex(data)
		if clause == nil {
			return nil, fmt.Errorf("layout: %s/%s has no package clause", from, name)
		}
		data = slices.Concat(data[:clause[0]], []byte("package "+pkg), data[clause[1]:])
		copyPath := filepath.Join(into, "rerun", string(tree), to, from+"_"+name)
		if err := WriteFile(copyPath, data); err != nil {
			return nil, err
		}
		o[l.Path(Dir(tree, to), from+"_"+name)] = copyPath
	}
	return o, nil
}

// ReadOverlay reads an overlay file that Write wrote.
func ReadOverlay(path string) (Overlay, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var file struct{ Replace Overlay }
	if err := json.Unmarshal(data, &file); err != nil {
		return nil, fmt.Errorf("layout: overlay %s: %w", path, err)
	}
	if file.Replace == nil {
		file.Replace = Overlay{}
	}
	return file.Replace, nil
}

// packageClause finds a Go file's package clause.
var packageClause = regexp.MustCompile(`(?m)^package \w+`)

// Reference returns the code files of a step's reference solution as they
// would stand in the learner's folder: with imports of solutions/ turned
// into imports of steps/, so that they build on the learner's own earlier
// steps.
func (l Layout) Reference(slug string) (map[string][]byte, error) {
	files, err := l.ReadCode(Dir(Solutions, slug))
	if err != nil {
		return nil, err
	}
	for n, data := range files {
		files[n] = l.Rewrite(data, Solutions, Steps)
	}
	return files, nil
}

// SwapReference is the overlay that puts the reference solution (as
// Reference gives it) in place of the learner's code of each of the
// steps, and leaves out of the build the learner's files that the
// reference lacks. The copies are written under into, best the same folder
// from run to run (see WriteFile). Grading a later step with it tells
// whether a failure comes from those steps.
func (l Layout) SwapReference(into string, slugs []string) (Overlay, error) {
	o := Overlay{}
	for _, slug := range slugs {
		ref, err := l.Reference(slug)
		if err != nil {
			return nil, err
		}
		mine, err := GoFiles(l.Path(Dir(Steps, slug)), Code)
		if err != nil {
			return nil, err
		}
		for _, n := range mine {
			if _, ok := ref[n]; !ok {
				o[l.Path(Dir(Steps, slug), n)] = ""
			}
		}
		for n, data := range ref {
			copyPath := filepath.Join(into, slug, n)
			if err := WriteFile(copyPath, data); err != nil {
				return nil, err
			}
			o[l.Path(Dir(Steps, slug), n)] = copyPath
		}
	}
	return o, nil
}

// WriteFile writes data to path unless the file holds it already, through
// a temporary file and a rename, so that a go command reading it never
// sees half a file. Overlay copies are best kept at the same paths from
// run to run: the build cache knows an overlaid file by its path, and a
// copy at a new path means compiling the package again.
func WriteFile(path string, data []byte) error {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	cerr := f.Close()
	if werr != nil || cerr != nil {
		os.Remove(f.Name())
		return errors.Join(werr, cerr)
	}
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		os.Remove(f.Name())
		return err
	}
	return os.Rename(f.Name(), path)
}
