// Package report prints everything the checker says to a person: a
// step's grade (a ✓ or ✗ line per check with its teaching message, the
// score, what to read, and what to do next), the progress table and the
// classroom's JSON, the learner commands' answers, and the maintainers'
// proofs (tests bite, the bug catalogue, timings). It only prints: grading
// happens in package grade. Whether to colour is decided in one place,
// Printer.Paint.
package report

import (
	"fmt"
	"io"

	"github.com/fatih/color"

	"github.com/wsfromtcp/workshop/tools/checker/internal/grade"
	"github.com/wsfromtcp/workshop/tools/checker/internal/layout"
	"github.com/wsfromtcp/workshop/tools/course"
)

// Printer writes reports. Its zero value prints without colour.
type Printer struct {
	W      io.Writer
	Color  bool
	Course course.Course
}

// NewPrinter prints to w, in colour when w is a terminal that takes it
// (and NO_COLOR is not set).
func NewPrinter(w io.Writer, c course.Course) Printer {
	return Printer{W: w, Color: !color.NoColor, Course: c}
}

// Paint returns a function that prints in the given colours when the
// Printer has colour, and plainly otherwise: the one place that decides.
func (p Printer) Paint(attrs ...color.Attribute) func(a ...any) string {
	c := color.New(attrs...)
	if p.Color {
		c.EnableColor()
	} else {
		c.DisableColor()
	}
	return c.SprintFunc()
}

// Step prints the grade of one step.
func (p Printer) Step(r grade.Result) {
	bold, green, red, yellow, faint := p.Paint(color.Bold), p.Paint(color.FgGreen), p.Paint(color.FgRed),
		p.Paint(color.FgYellow), p.Paint(color.Faint)
	w := p.W
	s := r.Step
	fmt.Fprintf(w, "%s — %s\n", bold(s.Name()), s.Title)
	who := "your code in " + s.Dir()
	if r.Target == layout.Solutions {
		who = "the reference solution in " + s.SolutionDir()
	}
	fmt.Fprintf(w, "%s\n\n", faint("Checking "+who))

	if !r.Compiles() {
		p.buildErrors(r)
	}
	if len(r.Tampered) > 0 {
		fmt.Fprintf(w, "  %s %s\n", red("✗"), "The step's tests are the workshop's")
		for _, t := range r.Tampered {
			fmt.Fprintf(w, "      %s\n", t)
		}
		fmt.Fprintf(w, "      %s\n", "Until they are, this step cannot count as done, whatever the checks below say.")
	}
	explained := map[string]bool{} // panic values already explained in full
	from := 0                      // the earlier step whose checks are being listed
	for _, c := range r.Checks {
		if c.From != from {
			from = c.From
			fmt.Fprintf(w, "  %s\n", faint(fmt.Sprintf("Step %d's checks, on this step's code (it must keep step %d's behaviour):", from, from)))
		}
		if key := panicKey(c); key != "" && explained[key] {
			mark := red("✗")
			if c.Status == grade.Hung {
				mark = yellow("⧗")
			}
			fmt.Fprintf(w, "  %s %s\n", mark, c.Sentence)
			fmt.Fprintf(w, "      %s\n", faint(short(c, r.Step.Number)+" (as above)"))
			continue
		} else if key != "" {
			explained[key] = true
		}
		switch c.Status {
		case grade.Passed:
			fmt.Fprintf(w, "  %s %s\n", green("✓"), c.Sentence)
		case grade.Hung, grade.NotRun:
			fmt.Fprintf(w, "  %s %s\n", yellow("⧗"), c.Sentence)
			p.problem(c, r.Step.Number, yellow)
		default:
			fmt.Fprintf(w, "  %s %s\n", red("✗"), c.Sentence)
			p.problem(c, r.Step.Number, red)
			p.quotes(c, checkStep(r.Step, c))
		}
	}
	for _, v := range r.Rules {
		fmt.Fprintf(w, "  %s %s\n", red("✗"), "Builds on raw TCP only")
		fmt.Fprintf(w, "      %s\n", v)
	}

	fmt.Fprintln(w)
	score := fmt.Sprintf("%s: %d/%d checks passed", s.Name(), r.Passed(), len(r.Checks)+len(r.Rules)+min(len(r.Tampered), 1))
	switch {
	case r.Done():
		fmt.Fprintln(w, green(bold(score)))
	case !r.Compiles():
		fmt.Fprintln(w, red(bold(s.Name()+": does not compile yet, so no check could run")))
	default:
		fmt.Fprintln(w, red(bold(score)))
	}
	fmt.Fprintln(w)
	p.reading(s)
	fmt.Fprintln(w)
	p.next(r)
}

func (p Printer) buildErrors(r grade.Result) {
	red, faint := p.Paint(color.FgRed), p.Paint(color.Faint)
	fmt.Fprintf(p.W, "  %s %s\n", red("✗"), "The code compiles")
	const most = 5
	for i, e := range r.Build {
		if i == most {
			fmt.Fprintf(p.W, "      %s\n", faint(fmt.Sprintf("… and %d more; fix the first ones and the rest often go away", len(r.Build)-most)))
			break
		}
		where := e.Location
		if e.Step != 0 && e.Step != r.Step.Number {
			where += fmt.Sprintf(" (in your step %d)", e.Step)
		}
		if where != "" {
			fmt.Fprintf(p.W, "      %s: %s\n", where, e.Message)
		} else {
			fmt.Fprintf(p.W, "      %s\n", e.Message)
		}
		if e.Explanation != "" {
			fmt.Fprintf(p.W, "        %s\n", faint("→ "+e.Explanation))
		}
	}
}

// checkStep is the step whose check c is, for its RFC quotes and its
// chapter: s, or for a check s borrows from an earlier step (steps.json
// alsoPasses), that step.
func checkStep(s course.Step, c grade.Check) course.Step {
	if c.From != 0 && s.AlsoPasses != nil {
		return course.Step{Number: c.From, Slug: s.AlsoPasses.Slug}
	}
	return s
}
