// Package report prints a step's grade for a person: a ✓ or ✗ line per
// check with its teaching message, the score, what to read, and what to do
// next. It only prints; grading happens in package grade.
package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/fatih/color"

	"github.com/wsfromtcp/workshop/tools/checker/internal/grade"
	"github.com/wsfromtcp/workshop/tools/course"
)

// Printer writes reports. Its zero value prints without colour.
type Printer struct {
	W      io.Writer
	Color  bool
	Course course.Course
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
	if r.Target == "solutions" {
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
	for _, c := range r.Checks {
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

// problem prints why a check did not pass, indented under it.
func (p Printer) problem(c grade.Check, step int, accent func(a ...any) string) {
	faint := p.Paint(color.Faint)
	w := p.W
	if c.Panic != nil {
		for _, line := range panicLines(c, step) {
			fmt.Fprintf(w, "      %s\n", accent(line))
		}
	}
	failed := map[string]bool{}
	for _, f := range c.Failures {
		// A case that only panicked has nothing to say beyond the panic above.
		if f.Case != "" && (f.Message != "" || len(f.Details) > 0) {
			failed[f.Case] = true
		}
	}
	if len(failed) > 0 && c.Cases > 0 {
		fmt.Fprintf(w, "      %s\n", fmt.Sprintf("%d of %d cases failed:", len(failed), c.Cases))
	}
	const most = 4
	shown := 0
	for _, f := range c.Failures {
		if shown == most {
			fmt.Fprintf(w, "      %s\n", faint(fmt.Sprintf("… and %d more", len(c.Failures)-most)))
			break
		}
		if c.Panic != nil && f.Message == "" && len(f.Details) == 0 {
			continue // the panic above says it all
		}
		shown++
		indent := "      "
		msg := f.Message
		if msg == "" && len(f.Details) > 0 {
			msg, f.Details = f.Details[0], f.Details[1:]
		}
		if f.Case != "" {
			msg = "· " + f.Case + ": " + msg
			indent = "      "
		}
		for i, line := range strings.Split(msg, "\n") {
			if i > 0 {
				line = "  " + line
			}
			fmt.Fprintf(w, "%s%s\n", indent, line)
		}
		for _, d := range limit(f.Details, 4) {
			fmt.Fprintf(w, "%s  %s\n", indent, faint(strings.TrimSpace(d)))
		}
		if f.Location != "" {
			fmt.Fprintf(w, "%s  %s\n", indent, faint("at "+f.Location))
		}
	}
}

func limit(lines []string, n int) []string {
	if len(lines) <= n {
		return lines
	}
	return append(lines[:n:n], "…")
}

// panicLines says what a panic, hang or crash means for the learner.
func panicLines(c grade.Check, step int) []string {
	p := c.Panic
	in := ""
	if p.Func != "" {
		in = fmt.Sprintf("%s (%s)", p.Func, p.Location)
	}
	switch {
	case strings.Contains(p.Value, "os.Exit(0) during test"):
		where := ""
		if in != "" {
			where = " in " + in
		}
		return []string{"your code called os.Exit(0)" + where + " while this check ran: the program ended as if all went well, and a check cannot pass that way.",
			"Return an error instead: ending the program is for main, not for a server's code."}
	case c.Status == grade.Hung && in != "" && p.Looping:
		return []string{fmt.Sprintf("did not finish in time: %s loops without end.", in),
			"Look for a loop whose condition never changes, or that retries at once after an error that will not go away."}
	case c.Status == grade.Hung && in != "":
		return []string{fmt.Sprintf("did not finish in time: stuck in %s.", in),
			"Look for a loop that never ends, or a read, lock or channel operation that waits forever."}
	case c.Status == grade.Hung:
		return []string{"did not finish in time (" + p.Value + ").",
			"Look for a loop that never ends, or a read, lock or channel operation that waits forever."}
	case p.TODO != 0 && p.Func != "":
		return []string{fmt.Sprintf("%s is not written yet: it still panics with %q%s.", p.Func, p.Value, stepNote(p.TODO, step)),
			"at " + p.Location}
	case p.TODO != 0:
		return []string{fmt.Sprintf("a function is not written yet: it panics with %q.", p.Value)}
	case c.Status == grade.Crashed:
		lines := []string{"the test program crashed: " + p.Value}
		if in != "" {
			lines = append(lines, "in "+in)
		}
		return lines
	case in != "":
		return []string{fmt.Sprintf("panic in %s: %s", in, p.Value)}
	default:
		return []string{"panic: " + p.Value}
	}
}

// stepNote points out a TODO that belongs to an earlier step.
func stepNote(todoStep, step int) string {
	if todoStep == step {
		return ""
	}
	return fmt.Sprintf(", a TODO of your step %d", todoStep)
}

// panicKey identifies a panic or hang whose explanation need not be
// repeated for every check it breaks; "" for other outcomes.
func panicKey(c grade.Check) string {
	if c.Panic == nil || saysMore(c) || (c.Status != grade.Panicked && c.Status != grade.Hung) {
		return ""
	}
	return fmt.Sprint(c.Status, c.Panic.Value, c.Panic.Func, c.Panic.Location)
}

// saysMore reports whether a check's failures carry messages of their own
// besides its panic.
func saysMore(c grade.Check) bool {
	for _, f := range c.Failures {
		if f.Message != "" || len(f.Details) > 0 {
			return true
		}
	}
	return false
}

// short is the one-line form of a panic already explained above.
func short(c grade.Check, step int) string {
	if c.Status == grade.Hung && c.Panic.Func != "" {
		return "stuck in " + c.Panic.Func
	}
	if c.Panic.TODO != 0 && c.Panic.Func != "" {
		return fmt.Sprintf("%s is not written yet%s", c.Panic.Func, stepNote(c.Panic.TODO, step))
	}
	if strings.Contains(c.Panic.Value, "os.Exit(0) during test") && c.Panic.Func != "" {
		return "os.Exit(0) called in " + c.Panic.Func
	}
	return "panic: " + c.Panic.Value
}

// reading lists what the step asks the learner to read.
func (p Printer) reading(s course.Step) {
	faint := p.Paint(color.Faint)
	for i, sec := range s.Sections {
		label := "Read:   "
		if i > 0 {
			label = "        "
		}
		fmt.Fprintf(p.W, "%s %s %s  %s\n", label, sec.Label(), sec.Title, faint(p.Course.URL(sec)))
	}
	fmt.Fprintf(p.W, "Chapter: %s\n", s.Chapter())
}

// next says what to do now: the single most useful action.
func (p Printer) next(r grade.Result) {
	bold := p.Paint(color.Bold)
	w := p.W
	s := r.Step
	again := fmt.Sprintf("make step%d", s.Number)
	switch {
	case r.Target == "solutions" && r.Done():
		fmt.Fprintf(w, "%s the reference solution passes every check.\n", bold("Next:"))
	case r.Done():
		if nx, ok := p.Course.Step(s.Number + 1); ok {
			fmt.Fprintf(w, "%s %s is done. Go on with %s — %s (%s).\n", bold("Next:"), s.Name(), bold(fmt.Sprintf("make step%d", nx.Number)), nx.Title, nx.Chapter())
		} else {
			fmt.Fprintf(w, "%s %s is done, and it is the last step written so far. Well done!\n", bold("Next:"), s.Name())
		}
	default:
		p.causes(r)
		switch {
		case len(r.Tampered) > 0:
			fmt.Fprintf(w, "%s bring back the workshop's test files as said above, then run %s again.\n", bold("Next:"), again)
		case !r.Compiles():
			fmt.Fprintf(w, "%s fix the first compiler error above, then run %s again.\n", bold("Next:"), again)
		case len(r.Rules) > 0 && r.FirstProblem() == nil:
			fmt.Fprintf(w, "%s remove the import of net/http or of a WebSocket library: this workshop builds on raw TCP. Then run %s again.\n", bold("Next:"), again)
		default:
			first := r.FirstProblem()
			fmt.Fprintf(w, "%s make %q pass (read %s), then run %s again.\n", bold("Next:"), first.Sentence, s.Chapter(), again)
		}
	}
}

// causes says which earlier steps of the learner's make this step fail,
// and which of them are unfinished.
func (p Printer) causes(r grade.Result) {
	bold := p.Paint(color.Bold)
	w, s := p.W, r.Step
	blamed := map[int]bool{}
	for _, b := range r.Blames {
		var names, solve, again []string
		for _, st := range b.Steps {
			blamed[st.Number] = true
			names = append(names, fmt.Sprintf("%d (%s)", st.Number, st.Package))
			solve = append(solve, fmt.Sprintf("make solve STEP=%d", st.Number))
			again = append(again, fmt.Sprintf("make step%d", st.Number))
		}
		which := "your step " + names[0] + " is"
		if len(b.Steps) > 1 {
			which = "your steps " + strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1] + " are"
		}
		fmt.Fprintf(w, "%s %s once %s swapped for the reference: %s.\n",
			bold("Note:"), plural(len(b.Checks), "this check passes", "these checks pass"), which, quoteAll(b.Checks))
		if b.Done {
			fmt.Fprintf(w, "      The bug is there, and %s missed it: read the failing check's message above, find that rule in the earlier code and fix it (or take the reference: %s).\n",
				plural(len(b.Steps), "that step's own checks", "those steps' own checks"), strings.Join(solve, ", "))
			fmt.Fprintln(w, "      Please tell your instructor too: the earlier step should catch this bug itself.")
		} else {
			fmt.Fprintf(w, "      That code does not pass its own checks yet: finish it first (%s), or take the reference solution: %s (your code is backed up first).\n",
				strings.Join(again, ", "), strings.Join(solve, ", "))
		}
	}
	for _, d := range r.Unfinished {
		if blamed[d.Step.Number] {
			continue
		}
		if r.Blamed {
			fmt.Fprintf(w, "%s your step %d (%s) %s. The failures here do not come from it (they stay with its reference in place), but %s builds on it: finish it before long (make step%d).\n",
				bold("Note:"), d.Step.Number, d.Step.Package, depState(d), s.Name(), d.Step.Number)
			continue
		}
		fmt.Fprintf(w, "%s %s uses your step %d (%s), which %s: some checks here may fail because of it.\n",
			bold("Note:"), s.Name(), d.Step.Number, d.Step.Package, depState(d))
		fmt.Fprintf(w, "      Finish it first (make step%d), or take the reference solution for it: make solve STEP=%d (your code is backed up first).\n",
			d.Step.Number, d.Step.Number)
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func quoteAll(sentences []string) string {
	q := make([]string, len(sentences))
	for i, s := range sentences {
		q[i] = "«" + s + "»"
	}
	return strings.Join(q, ", ")
}

func depState(d grade.Dependency) string {
	if !d.Builds {
		return "does not compile yet"
	}
	state := fmt.Sprintf("passes %d of %d checks", d.Passed, d.Total)
	if d.NotJudged > 0 {
		state += fmt.Sprintf(" (%d not judged: they ran out of time while explaining this failure, which says nothing against them)", d.NotJudged)
	}
	return state
}
