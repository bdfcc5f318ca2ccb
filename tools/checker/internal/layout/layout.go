// Package layout is the one place that knows how the workshop lies on
// disk: the module root and the module path (read from go.mod), the two
// trees a step lives in (steps/ for the learner's code, solutions/ for the
// reference), which files of a step's folder are code and which are tests,
// and how imports are rewritten from one tree to the other. The rest of the
// checker asks it instead of spelling out "steps/" or the module path.
package layout

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/wsfromtcp/workshop/tools/course"
)

// Layout is one checkout of the workshop.
type Layout struct {
	Root   string // the module root, the folder holding go.mod
	Module string // the module path, as go.mod declares it
}

// Find is the checkout around the working directory: the nearest folder
// holding go.mod, searched upward, so that the tools work from any folder
// inside the repository.
func Find() (Layout, error) {
	root, err := course.Root()
	if err != nil {
		return Layout{}, err
	}
	return At(root)
}

// At is the checkout whose go.mod is in root.
func At(root string) (Layout, error) {
	data, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return Layout{}, fmt.Errorf("layout: %w", err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "module" {
			module, err := strconv.Unquote(f[1])
			if err != nil {
				module = f[1] // the usual, unquoted form
			}
			return Layout{Root: root, Module: module}, nil
		}
	}
	return Layout{}, fmt.Errorf("layout: %s declares no module", filepath.Join(root, "go.mod"))
}

// Path is the absolute path of rel, a slash-separated path from the root.
func (l Layout) Path(rel ...string) string {
	return filepath.Join(append([]string{l.Root}, rel...)...)
}

// Tree is one of the two folders that hold a folder per step.
type Tree string

const (
	Steps     Tree = "steps"     // the learner's code: a stub to fill in, and the step's tests
	Solutions Tree = "solutions" // the reference solution, tested with the tests in steps/
)

// Dir is the folder of a step (its slug, such as "03-handshake") in a
// tree, relative to the root and slash-separated: "steps/03-handshake".
func Dir(t Tree, slug string) string { return string(t) + "/" + slug }

// stepFolder matches a step's folder in a file path or in a function's
// import path: "/w/steps/03-handshake/accept.go",
// "github.com/x/workshop/solutions/03-handshake.AcceptKey".
var stepFolder = regexp.MustCompile(`(?:^|/)(?:` + regexp.QuoteMeta(string(Steps)) + `|` + regexp.QuoteMeta(string(Solutions)) + `)/(\d+)-[a-z0-9-]+(?:/|\.|$)`)

// StepOf is the number of the step whose folder, in either tree, holds
// path (slash-separated), and false when no step's folder does.
func StepOf(path string) (int, bool) {
	m := stepFolder.FindStringSubmatch(path)
	if m == nil {
		return 0, false
	}
	n, err := strconv.Atoi(m[1])
	return n, err == nil
}

// Which says which Go files of a folder to list.
type Which int

const (
	Code  Which = 1 << iota // the .go files that are not tests: what the learner writes
	Tests                   // the *_test.go files
)

// IsTest reports whether a file name is a Go test file's.
func IsTest(name string) bool { return strings.HasSuffix(name, "_test.go") }

// IsCode reports whether a file name is a Go file's that is not a test.
func IsCode(name string) bool { return strings.HasSuffix(name, ".go") && !IsTest(name) }

// GoFiles lists the names of the Go files of a folder that which asks
// for, sorted.
func GoFiles(dir string, which Which) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		n := e.Name()
		if !e.IsDir() && (which&Code != 0 && IsCode(n) || which&Tests != 0 && IsTest(n)) {
			names = append(names, n)
		}
	}
	return names, nil // os.ReadDir sorts by name
}

// ReadCode returns the code files (not the tests) of a folder, relative
// to the root, by file name.
func (l Layout) ReadCode(dir string) (map[string][]byte, error) {
	names, err := GoFiles(l.Path(dir), Code)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	for _, n := range names {
		data, err := os.ReadFile(l.Path(dir, n))
		if err != nil {
			return nil, err
		}
		files[n] = data
	}
	return files, nil
}
