package grade

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/wsfromtcp/workshop/tools/checker/internal/gotest"
	"github.com/wsfromtcp/workshop/tools/checker/internal/layout"
	"github.com/wsfromtcp/workshop/tools/course"
	"github.com/wsfromtcp/workshop/tools/wstest"
)

// Budget bounds how long grading one step may take once it has compiled.
// Every test is written to finish in well under a second when the code
// works, and in a few seconds when it fails; the budget only matters when
// the code hangs.
type Budget struct {
	Total    time.Duration // for all tests together; tests not started by then are not run
	PerTest  time.Duration // one test's -test.timeout
	Parallel int           // tests run at once, each in its own process
}

// DefaultBudget grades any step in about 16 s at most, even when every
// test hangs; with the earlier steps graded to explain a failure (6 s at
// most) and compiling, a grade takes well under 30 s whatever the code does.
// WORKSHOP_PATIENCE stretches it as it stretches the tests' own waits
// (wstest.Patience), for classrooms on slow machines.
var DefaultBudget = Budget{Total: 16 * time.Second, PerTest: 8 * time.Second, Parallel: 4}.Stretch(wstest.PatienceFactor())

// Stretch multiplies the budget's times by f.
func (b Budget) Stretch(f float64) Budget {
	b.Total = time.Duration(float64(b.Total) * f)
	b.PerTest = time.Duration(float64(b.PerTest) * f)
	return b
}

// Options say what to grade and where.
type Options struct {
	Root     string   // the repository root
	Solution bool     // grade solutions/ (through the overlay) instead of steps/
	Overlay  string   // the overlay file: required with Solution; for steps/, optional (earlier steps swapped for the reference)
	Only     []string // run only these checks; all when empty
	// Together skips running each failed check again alone: for callers
	// that only ask which checks pass (a pass in a shared process is a
	// pass), not why the others fail.
	Together bool
	Tmp      string // a folder for the test binary
	Budget   Budget
}

// Step compiles a step's tests and runs them until every check has a
// grade or the budget is spent. A test that panics or hangs takes only
// itself down: the tests after it run again in a fresh process.
func Step(ctx context.Context, step course.Step, opt Options) (Result, error) {
	res := Result{Step: step, Target: layout.Steps}
	if opt.Solution {
		res.Target = layout.Solutions
	}
	dir := layout.Dir(res.Target, step.Slug)
	overlay, borrowed, err := withReruns(opt, res.Target, step)
	if err != nil {
		return res, err
	}
	buildCtx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	gotest.FindTest2JSON(ctx)
	start := time.Now()
	bin, events, err := gotest.Build(buildCtx, opt.Root, dir, overlay, opt.Tmp)
	Trace("built %s in %v", dir, time.Since(start))
	if err != nil {
		return res, err
	}
	if bin == nil {
		res.Build = BuildErrors(events)
		return res, nil
	}
	names, err := bin.List(ctx)
	if err != nil {
		return res, err
	}
	if len(opt.Only) > 0 {
		names = slices.DeleteFunc(names, func(n string) bool { return !slices.Contains(opt.Only, n) })
	}
	// The step's own checks first, then those it borrows: the first ✗ is
	// the step's own whenever one fails. The borrowed ones are another
	// step's grade: they run beside the step's own, in processes of their
	// own, so that a passing grade does not take the time of both.
	var own, lent []string
	for _, n := range names {
		if borrowed[n] {
			lent = append(lent, n)
		} else {
			own = append(own, n)
		}
	}
	if len(own) == 0 || len(lent) == 0 {
		res.Checks = run(ctx, bin, names, opt.Budget, !opt.Together)
	} else {
		half := opt.Budget
		half.Parallel = max(1, half.Parallel/2)
		var ownChecks, lentChecks []Check
		var wg sync.WaitGroup
		wg.Go(func() { ownChecks = run(ctx, bin, own, half, !opt.Together) })
		wg.Go(func() { lentChecks = run(ctx, bin, lent, half, !opt.Together) })
		wg.Wait()
		res.Checks = append(ownChecks, lentChecks...)
	}
	for i := range res.Checks {
		if c := &res.Checks[i]; borrowed[c.Test] {
			c.From = step.AlsoPasses.Step
			for j := range c.Failures {
				c.Failures[j].Location = borrowedLocation(step, c.Failures[j].Location)
			}
		}
	}
	return res, nil
}

// run grades the tests in as few processes as it can: all of them in one
// process first, which makes a passing step quick; a test that hangs or
// crashes takes that process down, and the tests after it go on in a new
// one. A test that fails is then run again in a process of its own, a few
// at a time, and that verdict counts: a goroutine that an earlier failing
// test leaked must not change a later test's count.
func run(ctx context.Context, bin *gotest.Binary, names []string, b Budget, isolate bool) []Check {
	if b.Total == 0 {
		b = DefaultBudget
	}
	deadline := time.Now().Add(b.Total)
	checks := map[string]Check{}
	for pending := names; len(pending) > 0; {
		if time.Until(deadline) < time.Second || ctx.Err() != nil {
			break
		}
		got := runTogether(ctx, bin, pending, b.PerTest, deadline)
		var rest []string
		for _, name := range pending {
			if c, ok := got[name]; ok {
				checks[name] = c
			} else {
				rest = append(rest, name)
			}
		}
		if len(rest) == len(pending) {
			break // nothing was judged: do not spin
		}
		pending = rest
	}

	var alone []string
	for _, name := range names {
		if c, ok := checks[name]; ok && (c.Status == Failed || c.Status == Panicked) {
			alone = append(alone, name)
		}
	}
	if isolate && len(alone) > 1 {
		results := make([]Check, len(alone))
		slots := make(chan struct{}, max(b.Parallel, 1))
		var wg sync.WaitGroup
		for i, name := range alone {
			wg.Go(func() {
				slots <- struct{}{}
				defer func() { <-slots }()
				results[i] = runAlone(ctx, bin, name, b.PerTest, deadline)
			})
		}
		wg.Wait()
		for i, name := range alone {
			if results[i].Status != NotRun {
				checks[name] = results[i]
			}
		}
	}

	out := make([]Check, len(names))
	for i, name := range names {
		c, ok := checks[name]
		if !ok {
			c = Check{Test: name, Sentence: Sentence(name), Status: NotRun, Failures: []Failure{{
				Message: fmt.Sprintf("not run: the %v time budget ran out, because other checks hung", b.Total),
			}}}
		}
		out[i] = c
	}
	return out
}

// runTogether runs the tests in one process and grades those that ended,
// plus the one that was running when the process died or was stopped.
func runTogether(ctx context.Context, bin *gotest.Binary, names []string, stall time.Duration, deadline time.Time) map[string]Check {
	start := time.Now()
	res, err := bin.Run(ctx, names, gotest.RunOptions{Stall: stall, Deadline: deadline})
	Trace("%d checks from %s ran together for %v", len(names), names[0], time.Since(start))
	got := Interpret(names, res.Events)
	if err != nil {
		return got
	}
	// The test that was running when the process ended, if any, is
	// judged from the process's last words: a panic, a crash, a stall.
	if running := lastStarted(names, res.Events, got); running != "" {
		got[running] = judgeDead(running, res)
	}
	return got
}

// runAlone runs one test in a process of its own.
func runAlone(ctx context.Context, bin *gotest.Binary, name string, stall time.Duration, deadline time.Time) Check {
	if time.Until(deadline) < time.Second || ctx.Err() != nil {
		return Check{Test: name, Status: NotRun}
	}
	start := time.Now()
	res, err := bin.Run(ctx, []string{name}, gotest.RunOptions{Stall: stall, Deadline: deadline})
	Trace("%s ran alone for %v", name, time.Since(start))
	if c, ok := Interpret([]string{name}, res.Events)[name]; ok {
		return c
	}
	if err != nil {
		return Check{Test: name, Status: NotRun}
	}
	return judgeDead(name, res)
}

// Trace writes a line about timing or a left-out courtesy to stderr when
// CHECKER_TRACE is set.
func Trace(format string, args ...any) {
	if os.Getenv("CHECKER_TRACE") != "" {
		fmt.Fprintf(os.Stderr, "trace: "+format+"\n", args...)
	}
}

// lastStarted is the top-level test that started and did not end.
func lastStarted(names []string, events []gotest.Event, judged map[string]Check) string {
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	last := ""
	for _, e := range events {
		if e.Action == gotest.Run && e.Test == e.TopLevel() && want[e.Test] {
			if _, ok := judged[e.Test]; !ok {
				last = e.Test
			}
		}
	}
	return last
}
