package course

import (
	"embed"
	"encoding/json"
	"fmt"
	"path"
	"regexp"
	"strings"
)

// bugFiles is the bug catalogue: one JSON file per step, named after the
// step's folder (bugs/04-frame-decode.json). See bugs/README.md.
//
//go:embed bugs/*.json
var bugFiles embed.FS

// Bug is a mistake learners really make, written as a small edit of a
// reference solution. The maintainers' `make bugs` applies each one and
// proves that its own step fails, with Check as the first ✗: the tests
// catch the bug where it is made, not steps later.
type Bug struct {
	Name  string `json:"name"`  // kebab-case, unique in the catalogue, e.g. "length-126-off-by-one"
	Why   string `json:"why"`   // one line: why learners write it
	Check string `json:"check"` // the test expected to be the first failing check, e.g. "TestLengthsUseTheShortestForm"
	Edits []Edit `json:"edits"` // applied in order to the step's solution files
	Step  Step   `json:"-"`     // the step whose solution the bug edits, from the file name
}

// Edit replaces the one occurrence of Find in File (a file of the step's
// solution folder, e.g. "read.go") with Replace.
type Edit struct {
	File    string `json:"file"`
	Find    string `json:"find"`
	Replace string `json:"replace"`
}

// Apply returns src with the edit made, or an error when Find does not
// occur exactly once: a catalogue entry must keep pointing at real code.
func (e Edit) Apply(src string) (string, error) {
	switch n := strings.Count(src, e.Find); {
	case e.Find == "":
		return "", fmt.Errorf("course: an edit of %s has nothing to find", e.File)
	case n != 1:
		return "", fmt.Errorf("course: %q occurs %d times in %s, want exactly once", e.Find, n, e.File)
	}
	return strings.Replace(src, e.Find, e.Replace, 1), nil
}

// Apply makes the bug's edits, in order, in files: the texts of the step's
// solution files by name, as many as the edits need. It fails when an edit
// names a file that files lacks, or Edit.Apply fails.
func (b Bug) Apply(files map[string]string) error {
	for _, e := range b.Edits {
		text, ok := files[e.File]
		if !ok {
			return fmt.Errorf("course: bug %s edits %s, which is not given", b.Name, e.File)
		}
		text, err := e.Apply(text)
		if err != nil {
			return fmt.Errorf("course: bug %s: %w", b.Name, err)
		}
		files[e.File] = text
	}
	return nil
}

var bugName = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Bugs loads the whole catalogue, in step order.
func (c Course) Bugs() ([]Bug, error) {
	var all []Bug
	seen := map[string]bool{}
	for _, s := range c.Steps {
		name := "bugs/" + s.Slug + ".json"
		data, err := bugFiles.ReadFile(name)
		if err != nil {
			continue // a step without a catalogue yet; the course test counts them
		}
		var bugs []Bug
		dec := json.NewDecoder(strings.NewReader(string(data)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&bugs); err != nil {
			return nil, fmt.Errorf("course: %s: %w", name, err)
		}
		for _, b := range bugs {
			switch {
			case !bugName.MatchString(b.Name):
				return nil, fmt.Errorf("course: %s: bug name %q is not kebab-case", name, b.Name)
			case seen[b.Name]:
				return nil, fmt.Errorf("course: %s: bug name %q is used twice", name, b.Name)
			case b.Why == "" || b.Check == "" || len(b.Edits) == 0:
				return nil, fmt.Errorf("course: %s: bug %q needs why, check and edits", name, b.Name)
			}
			for _, e := range b.Edits {
				if e.File != path.Base(e.File) || !strings.HasSuffix(e.File, ".go") || strings.HasSuffix(e.File, "_test.go") {
					return nil, fmt.Errorf("course: %s: bug %q edits %q: name a .go file of the solution folder, not a test", name, b.Name, e.File)
				}
			}
			seen[b.Name] = true
			b.Step = s
			all = append(all, b)
		}
	}
	entries, _ := bugFiles.ReadDir("bugs")
	for _, e := range entries {
		slug := strings.TrimSuffix(e.Name(), ".json")
		if !c.hasSlug(slug) {
			return nil, fmt.Errorf("course: bugs/%s names no step", e.Name())
		}
	}
	return all, nil
}

func (c Course) hasSlug(slug string) bool {
	for _, s := range c.Steps {
		if s.Slug == slug {
			return true
		}
	}
	return false
}
