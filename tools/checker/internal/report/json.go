package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/wsfromtcp/workshop/tools/checker/internal/grade"
)

// Classroom is the whole workshop's grade as JSON. Its top level is the
// result that GitHub Classroom's autograding reporter reads (version,
// status, max_score, and tests with name, status, score and message; the
// reporter expects it base64-encoded in <RUNNER>_RESULTS), with the steps
// added for instructors' own tools. The schema is
// tools/checker/grade.schema.json.
type Classroom struct {
	Version  int         `json:"version"`
	Status   string      `json:"status"` // "pass" when every check passes, else "fail"
	Score    int         `json:"score"`
	MaxScore int         `json:"max_score"`
	Steps    []StepScore `json:"steps"`
	Tests    []TestScore `json:"tests"`
}

// StepScore is one step's line in the report.
type StepScore struct {
	Number   int    `json:"number"`
	Slug     string `json:"slug"`
	Title    string `json:"title"`
	State    State  `json:"state"`
	Compiles bool   `json:"compiles"`
	Tampered bool   `json:"tampered"` // a test file of the step is not the workshop's: the score is not to be trusted
	Hints    int    `json:"hints"`
	Score    int    `json:"score"`
	MaxScore int    `json:"max_score"`
}

// TestScore is one check: one point when it passes.
type TestScore struct {
	Name     string `json:"name"` // "Step 3 · handshake: Accept key matches the RFC sample"
	Step     int    `json:"step"`
	Test     string `json:"test"` // the Go test name
	Status   string `json:"status"`
	Score    int    `json:"score"`
	MaxScore int    `json:"max_score"`
	Message  string `json:"message,omitempty"`
}

// NewClassroom builds the report from the graded steps.
func NewClassroom(grades []StepGrade) Classroom {
	c := Classroom{Version: 1, Status: "pass", Steps: []StepScore{}, Tests: []TestScore{}}
	for _, g := range grades {
		s := g.Result.Step
		pa, to := g.Score()
		c.Steps = append(c.Steps, StepScore{Number: s.Number, Slug: s.Slug, Title: s.Title, State: g.State,
			Compiles: g.Result.Compiles(), Tampered: len(g.Result.Tampered) > 0, Hints: g.Hints, Score: pa, MaxScore: to})
		byName := map[string]grade.Check{}
		for _, ch := range g.Result.Checks {
			byName[ch.Test] = ch
		}
		for _, name := range g.Names {
			ts := TestScore{Name: s.Name() + ": " + grade.Sentence(name), Step: s.Number, Test: name, Status: "fail", MaxScore: 1}
			ch, ran := byName[name]
			switch {
			case len(g.Result.Tampered) > 0:
				// A check whose test may have been changed vouches for nothing.
				ts.Message = "the step's test files are not the workshop's: " + g.Result.Tampered[0]
			case !g.Result.Compiles():
				ts.Message = "the step does not compile: " + firstBuildError(g.Result)
			case !ran:
				ts.Message = "not run"
			case ch.Status == grade.Passed:
				ts.Status, ts.Score = "pass", 1
			default:
				ts.Message = Why(ch)
			}
			c.Tests = append(c.Tests, ts)
			c.Score += ts.Score
			c.MaxScore += ts.MaxScore
		}
	}
	if c.Score != c.MaxScore || c.MaxScore == 0 {
		c.Status = "fail"
	}
	return c
}

func firstBuildError(r grade.Result) string {
	if len(r.Build) == 0 {
		return ""
	}
	e := r.Build[0]
	return strings.TrimSpace(e.Location + " " + e.Message)
}

// Why is a check's failure in one line, for the report.
func Why(c grade.Check) string {
	if c.Panic != nil {
		return fmt.Sprintf("%s: %s", c.Status, c.Panic.Value)
	}
	for _, f := range c.Failures {
		msg := f.Message
		if msg == "" && len(f.Details) > 0 {
			msg = f.Details[0]
		}
		if f.Case != "" {
			msg = f.Case + ": " + msg
		}
		if msg != "" {
			return strings.ReplaceAll(msg, "\n", " ")
		}
	}
	return c.Status.String()
}

// JSON writes the report, indented.
func JSON(w io.Writer, c Classroom) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(c)
}
