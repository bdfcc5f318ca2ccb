package report

import (
	"fmt"
	"time"

	"github.com/fatih/color"

	"github.com/wsfromtcp/workshop/tools/course"
)

// Bite is one step's proof that its tests bite: every check fails on the
// untouched stub and passes on the reference solution.
type Bite struct {
	Step           course.Step
	Checks         int // the checks that ran on the stub
	StubFails      int // of those, the ones that failed
	SolutionPasses int
	SolutionChecks int
	Problems       []string // each a sentence; none when the step's tests bite
}

// BitesHeader starts verify's output.
func (p Printer) BitesHeader() {
	fmt.Fprintln(p.W, p.Paint(color.Bold)("Tests bite: every check must fail on the untouched stub and pass on the reference solution."))
}

// Bite prints one step's line.
func (p Printer) Bite(b Bite) {
	mark := p.Paint(color.FgGreen)("✓")
	if len(b.Problems) > 0 {
		mark = p.Paint(color.FgRed)("✗")
	}
	fmt.Fprintf(p.W, "  %s %-24s %2d checks   stub: %2d/%d fail   solution: %2d/%d pass\n",
		mark, b.Step.Name(), b.Checks, b.StubFails, b.Checks, b.SolutionPasses, b.SolutionChecks)
}

// BitesSummary ends verify's output: a closing line in the form CI logs
// are read for, where a check counts as passed when it is proven to bite,
// and then every problem found.
func (p Printer) BitesSummary(proven, total int, problems []string) {
	fmt.Fprintf(p.W, "checks: %d passed, %d failed\n", proven, total-proven)
	p.problems(problems)
}

func (p Printer) problems(problems []string) {
	if len(problems) == 0 {
		return
	}
	fmt.Fprintln(p.W)
	red := p.Paint(color.FgRed)
	for _, pr := range problems {
		fmt.Fprintln(p.W, red("  ✗ ")+pr)
	}
}

// BugVerdict is what grading one catalogued learner bug showed.
type BugVerdict struct {
	Bug     course.Bug
	Problem string // empty when the bug is caught with its check as the first ✗
	First   string // the sentence of the first failing check, when there is one
}

// BugsHeader starts the bug catalogue's output.
func (p Printer) BugsHeader() {
	fmt.Fprintln(p.W, p.Paint(color.Bold)("Bug catalogue: each bug must fail its own step, with the catalogued check as the first ✗."))
}

// Bugs prints each bug's line and the closing count.
func (p Printer) Bugs(verdicts []BugVerdict) {
	caught := 0
	for _, v := range verdicts {
		name := fmt.Sprintf("%02d %s", v.Bug.Step.Number, v.Bug.Name)
		if v.Problem == "" {
			caught++
			fmt.Fprintf(p.W, "  %s %-48s first ✗: %s\n", p.Paint(color.FgGreen)("✓"), name, v.First)
			continue
		}
		fmt.Fprintf(p.W, "  %s %-48s %s\n", p.Paint(color.FgRed)("✗"), name, v.Problem)
		fmt.Fprintf(p.W, "      why learners write it: %s\n", v.Bug.Why)
	}
	fmt.Fprintf(p.W, "bugs: %d passed, %d failed\n", caught, len(verdicts)-caught)
}

// Rules prints what the raw-TCP rule found: every import that breaks it.
func (p Printer) Rules(found []string) {
	if len(found) == 0 {
		fmt.Fprintln(p.W, "Raw-TCP rule: no package under steps/ or solutions/ depends on net/http or a WebSocket library.")
		return
	}
	fmt.Fprintln(p.W, "Raw-TCP rule broken:")
	for _, f := range found {
		fmt.Fprintln(p.W, "  "+f)
	}
}

// SampleStale says that the README's sample of a command is not what the
// checker prints now.
func (p Printer) SampleStale(command string) {
	fmt.Fprintf(p.W, "README.md's sample of %q is not what the checker prints now; run make readme-samples and review the diff.\n", command)
}

// Samples ends the samples command: n samples in all, stale of them not
// what the checker prints; check says whether they were only checked, or
// rewritten.
func (p Printer) Samples(n, stale int, check bool) {
	switch {
	case check && stale > 0:
	case check:
		fmt.Fprintf(p.W, "README.md's %d samples are what the checker prints.\n", n)
	case stale == 0:
		fmt.Fprintln(p.W, "README.md's samples are up to date.")
	default:
		fmt.Fprintf(p.W, "Rewrote %d samples in README.md.\n", stale)
	}
}

// Timing is how long grading one step took, passing and failing, and the
// targets.
type Timing struct {
	Step             course.Step
	Pass, PassTarget time.Duration
	Fail, FailTarget time.Duration
}

// Missed counts the timings above their target.
func (t Timing) Missed() int {
	n := 0
	if t.Pass > t.PassTarget {
		n++
	}
	if t.Fail > t.FailTarget {
		n++
	}
	return n
}

// TimingsHeader starts the table of timings.
func (p Printer) TimingsHeader() {
	fmt.Fprintln(p.W, "Checker timings (warm build cache; passing = the reference, median of 3; failing = steps/ as they are now)")
	fmt.Fprintln(p.W)
	fmt.Fprintln(p.W, "| Step | Passing | Target | Failing | Target |")
	fmt.Fprintln(p.W, "| --- | --- | --- | --- | --- |")
}

// Timing prints one step's row, a ✗ beside a time above its target.
func (p Printer) Timing(t Timing) {
	mark := func(d, limit time.Duration) string {
		if d > limit {
			return " ✗"
		}
		return ""
	}
	fmt.Fprintf(p.W, "| %s | %.1f s%s | ≤ %v | %.1f s%s | ≤ %v |\n", t.Step.Name(), t.Pass.Seconds(), mark(t.Pass, t.PassTarget), t.PassTarget,
		t.Fail.Seconds(), mark(t.Fail, t.FailTarget), t.FailTarget)
}

// TimingsMissed ends the table when some timings missed their target.
func (p Printer) TimingsMissed(missed int) {
	if missed > 0 {
		fmt.Fprintf(p.W, "\n%d timings above their target (✗). On a busy machine that is expected; on an idle one it is a regression.\n", missed)
	}
}
