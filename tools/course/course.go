// Package course is the workshop's single list of steps: their folders,
// packages, the RFC sections each one teaches and the chapter that explains
// it. The checker, the documentation test and the Makefile all read it from
// steps.json, so adding a step means editing that one file.
package course

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

//go:embed steps.json
var stepsJSON []byte

// Section is one section of an RFC that a step asks the learner to read.
type Section struct {
	RFC     string `json:"rfc"`     // document name as the RFC Editor spells it, e.g. "rfc6455"
	Section string `json:"section"` // section number, e.g. "4.2.1"
	Title   string `json:"title"`
}

// Label is the way the workshop cites a section: "RFC 6455 §4.2.1".
func (s Section) Label() string {
	return fmt.Sprintf("RFC %s §%s", strings.TrimPrefix(s.RFC, "rfc"), s.Section)
}

// Step is one chapter of the workshop: a stub under steps/, its reference
// solution under solutions/, and a chapter under docs/.
type Step struct {
	Number   int       `json:"number"`
	Slug     string    `json:"slug"`    // folder name, e.g. "03-handshake"
	Package  string    `json:"package"` // Go package name, e.g. "handshake"
	Title    string    `json:"title"`
	Builds   string    `json:"builds"`  // what the learner builds, in Markdown: the README's step table (make readme-steps) shows it
	Minutes  int       `json:"minutes"` // a typical learner's time, for instructors' planning
	Needs    []int     `json:"needs"`   // earlier steps whose code this step runs, directly or through another step
	Sections []Section `json:"sections"`
	// AlsoPasses names test files of an earlier step whose checks this
	// step must pass too, compiled into its package: step 12's fast Conn
	// keeps step 8's behaviour, so step 8's checks are part of step 12's
	// grade, on the learner's code and on the reference (and make race
	// runs them under the race detector).
	AlsoPasses *Rerun `json:"alsoPasses,omitempty"`
}

// Rerun is a set of test files of another step.
type Rerun struct {
	Step  int      `json:"step"`
	Files []string `json:"files"`
	Slug  string   `json:"-"` // the other step's slug, filled in by Load
}

// Dir is the learner's folder for the step, relative to the repository root.
func (s Step) Dir() string { return "steps/" + s.Slug }

// SolutionDir is the reference solution's folder, relative to the repository root.
func (s Step) SolutionDir() string { return "solutions/" + s.Slug }

// Chapter is the step's documentation chapter, relative to the repository root.
func (s Step) Chapter() string { return "docs/" + s.Slug + ".md" }

// Name is how the checker and the docs name a step: "Step 3 · handshake".
func (s Step) Name() string { return fmt.Sprintf("Step %d · %s", s.Number, s.Package) }

// Course is the whole workshop.
type Course struct {
	RFCBase string `json:"rfcBase"`
	Steps   []Step `json:"steps"`
}

// URL links a section on the RFC Editor's site.
func (c Course) URL(s Section) string {
	return c.RFCBase + s.RFC + "#section-" + s.Section
}

// Step returns step n, or false when the workshop has no such step.
func (c Course) Step(n int) (Step, bool) {
	for _, s := range c.Steps {
		if s.Number == n {
			return s, true
		}
	}
	return Step{}, false
}

// Load parses the embedded step list.
func Load() (Course, error) {
	var c Course
	if err := json.Unmarshal(stepsJSON, &c); err != nil {
		return Course{}, fmt.Errorf("course: steps.json: %w", err)
	}
	for _, s := range c.Steps {
		if r := s.AlsoPasses; r != nil {
			from, ok := c.Step(r.Step)
			if !ok || from.Number >= s.Number {
				return Course{}, fmt.Errorf("course: steps.json: step %d: alsoPasses names step %d, which is not an earlier step", s.Number, r.Step)
			}
			r.Slug = from.Slug
		}
	}
	return c, nil
}

// MustLoad is Load for callers that cannot go on without the step list.
func MustLoad() Course {
	c, err := Load()
	if err != nil {
		panic(err)
	}
	return c
}

// Root is the workshop repository's root: the folder holding go.mod,
// searched upward from the working directory, so that the tools work from
// any folder inside the repository.
func Root() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("run this inside the workshop repository (no go.mod found above the working directory)")
		}
		dir = parent
	}
}
