package report

import (
	"fmt"

	"github.com/fatih/color"

	"github.com/wsfromtcp/workshop/tools/course"
)

// passageHint is the title of the hint that points at the RFC's passage
// (each step's hints.md has one): it lists the step's requirements too.
const passageHint = "The passage to read"

// Hint prints hint n (of them all) of a step, and what to do next; before
// is how many hints the learner had taken until now.
func (p Printer) Hint(s course.Step, n, of, before int, title, body string) {
	bold := p.Paint(color.Bold)
	fmt.Fprintf(p.W, "%s\n\n%s\n\n", bold(fmt.Sprintf("%s — hint %d of %d: %s", s.Name(), n, of, title)), body)
	if title == passageHint {
		p.Requirements(s)
	}
	switch {
	case before >= of:
		fmt.Fprintf(p.W, "That was the last hint. The reference solution is in %s; make solve STEP=%d takes it (your code is backed up first).\n", s.SolutionDir(), s.Number)
	case n < of:
		fmt.Fprintf(p.W, "Still stuck? make hint STEP=%d shows the next one. Check your work with make step%d.\n", s.Number, s.Number)
	default:
		fmt.Fprintf(p.W, "That is the last hint. Check your work with make step%d.\n", s.Number)
	}
}

// Solved says that a step now holds the reference solution, and where the
// learner's code went.
func (p Printer) Solved(s course.Step, backup string) {
	fmt.Fprintf(p.W, "%s now holds the reference solution (its imports point at your own earlier steps).\n", s.Dir())
	p.savedIn(s, backup)
	fmt.Fprintf(p.W, "Next: make step%d to see it pass, or go on with the next step.\n", s.Number)
}

// Reset says that a step holds the untouched stub again.
func (p Printer) Reset(s course.Step, backup string) {
	fmt.Fprintf(p.W, "%s is back to the untouched stub.\n", s.Dir())
	p.savedIn(s, backup)
}

func (p Printer) savedIn(s course.Step, backup string) {
	fmt.Fprintf(p.W, "Your version is saved in %s; make restore STEP=%d brings it back.\n", backup, s.Number)
}

// Restored says which backup a step was restored from, and where what it
// held went.
func (p Printer) Restored(s course.Step, restored, saved string) {
	fmt.Fprintf(p.W, "%s is restored from %s.\n", s.Dir(), restored)
	fmt.Fprintf(p.W, "What it held just now is saved in %s (make restore STEP=%d again to swap back).\n", saved, s.Number)
}

// Wrote says where the classroom report went, after the progress table.
func (p Printer) Wrote(path string, c Classroom) {
	fmt.Fprintf(p.W, "\nWrote %s: %d/%d points.\n", path, c.Score, c.MaxScore)
}

// ClearScreen clears a terminal, as a fresh run would; without colour
// (not a terminal, or NO_COLOR) it prints nothing.
func (p Printer) ClearScreen() {
	if p.Color {
		fmt.Fprint(p.W, "\x1b[H\x1b[2J")
	}
}

// Watching says that watch waits for the next save.
func (p Printer) Watching(s course.Step) {
	fmt.Fprintf(p.W, "\nWatching steps/ — save a .go file to grade %s again; Ctrl-C stops.\n", s.Name())
}

// WatchStopped says that watch ended.
func (p Printer) WatchStopped() { fmt.Fprintln(p.W, "\nWatch stopped.") }

// Error prints an error that does not end the command, as the checker
// says one that does.
func (p Printer) Error(err error) { fmt.Fprintln(p.W, "checker:", err) }
