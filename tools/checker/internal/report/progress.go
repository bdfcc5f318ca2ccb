package report

import (
	"fmt"

	"github.com/fatih/color"

	"github.com/wsfromtcp/workshop/tools/checker/internal/grade"
)

// State is how far a learner has come with a step.
type State string

// The states of a step.
const (
	NotStarted State = "not started" // the step's files are still the stub
	InProgress State = "in progress"
	Done       State = "done" // every check passes
)

// StepGrade is one step of a whole-workshop grade.
type StepGrade struct {
	Result grade.Result
	Names  []string // every check's test name, known even when the step does not compile
	State  State
	Hints  int // hints the learner has taken
}

// Score is the step's points: one per passed check, out of one per check.
// A step whose test files are not the workshop's scores nothing: its
// checks vouch for nothing.
func (g StepGrade) Score() (passed, total int) {
	if len(g.Result.Tampered) > 0 {
		return 0, len(g.Names)
	}
	return g.Result.Passed(), len(g.Names)
}

// Progress prints a table of every step, the overall score and the next
// step to do.
func (p Printer) Progress(grades []StepGrade) {
	bold, green, yellow, faint := p.Paint(color.Bold), p.Paint(color.FgGreen), p.Paint(color.FgYellow), p.Paint(color.Faint)
	w := p.W
	fmt.Fprintln(w, bold("Progress — WebSocket from raw TCP"))
	fmt.Fprintln(w)
	fmt.Fprintf(w, "  %-24s %-8s %-12s %s\n", "Step", "Checks", "State", "Hints")
	var passed, total int
	var next *StepGrade
	for i, g := range grades {
		pa, to := g.Score()
		passed, total = passed+pa, total+to
		state := string(g.State)
		switch g.State {
		case Done:
			state = green(fmt.Sprintf("%-12s", state))
		case InProgress:
			state = yellow(fmt.Sprintf("%-12s", state))
		default:
			state = faint(fmt.Sprintf("%-12s", state))
		}
		if !g.Result.Compiles() && g.State != NotStarted {
			state = yellow(fmt.Sprintf("%-12s", "no compile"))
		}
		if len(g.Result.Tampered) > 0 {
			state = yellow(fmt.Sprintf("%-12s", "tests edited"))
		}
		fmt.Fprintf(w, "  %-24s %-8s %s %d\n", g.Result.Step.Name(), fmt.Sprintf("%d/%d", pa, to), state, g.Hints)
		if next == nil && g.State != Done {
			next = &grades[i]
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, bold(fmt.Sprintf("Score: %d/%d checks", passed, total)))
	if next == nil {
		fmt.Fprintln(w, green("Every step is done. Well done!"))
		return
	}
	s := next.Result.Step
	fmt.Fprintf(w, "%s make step%d — %s (%s)\n", bold("Next:"), s.Number, s.Title, s.Chapter())
}
