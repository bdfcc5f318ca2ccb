package report

import (
	"fmt"
	"strings"

	"github.com/fatih/color"

	"github.com/wsfromtcp/workshop/tools/checker/internal/grade"
	"github.com/wsfromtcp/workshop/tools/checker/internal/layout"
	"github.com/wsfromtcp/workshop/tools/course"
)

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
	case r.Target == layout.Solutions && r.Done():
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
			read := s.Chapter()
			if owner := checkStep(s, *first); owner.Number != s.Number {
				// A borrowed check: the behaviour it wants is the earlier step's.
				read = fmt.Sprintf("%s, step %d's chapter: this step keeps that behaviour", owner.Chapter(), owner.Number)
			}
			fmt.Fprintf(w, "%s make %q pass (read %s), then run %s again.\n", bold("Next:"), first.Sentence, read, again)
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
