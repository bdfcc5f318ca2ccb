package grade

import (
	"context"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/wsfromtcp/workshop/tools/checker/internal/gotest"
	"github.com/wsfromtcp/workshop/tools/course"
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
var DefaultBudget = Budget{Total: 16 * time.Second, PerTest: 8 * time.Second, Parallel: 4}

// Options say what to grade and where.
type Options struct {
	Root     string // the repository root
	Solution bool   // grade solutions/ (through the overlay) instead of steps/
	Overlay  string // the overlay file, required with Solution
	Tmp      string // a folder for the test binary
	Budget   Budget
}

// Step compiles a step's tests and runs them until every check has a
// grade or the budget is spent. A test that panics or hangs takes only
// itself down: the tests after it run again in a fresh process.
func Step(ctx context.Context, step course.Step, opt Options) (Result, error) {
	res := Result{Step: step, Target: "steps"}
	dir, overlay := step.Dir(), ""
	if opt.Solution {
		res.Target, dir, overlay = "solutions", step.SolutionDir(), opt.Overlay
	}
	buildCtx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	gotest.FindTest2JSON(ctx)
	bin, events, err := gotest.Build(buildCtx, opt.Root, dir, overlay, opt.Tmp)
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
	res.Checks = run(ctx, bin, names, opt.Budget)
	return res, nil
}

// run grades each test in a process of its own, a few at a time: a test
// that panics, crashes or hangs takes only itself down, and a goroutine
// that one test leaks cannot disturb another's count.
func run(ctx context.Context, bin *gotest.Binary, names []string, b Budget) []Check {
	if b.Total == 0 {
		b = DefaultBudget
	}
	deadline := time.Now().Add(b.Total)
	checks := make([]Check, len(names))
	slots := make(chan struct{}, max(b.Parallel, 1))
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			slots <- struct{}{}
			defer func() { <-slots }()
			checks[i] = runOne(ctx, bin, name, b.PerTest, deadline, b.Total)
		}()
	}
	wg.Wait()
	return checks
}

func runOne(ctx context.Context, bin *gotest.Binary, name string, perTest time.Duration, deadline time.Time, total time.Duration) Check {
	left := time.Until(deadline)
	if left < time.Second || ctx.Err() != nil {
		return Check{Test: name, Sentence: Sentence(name), Status: NotRun, Failures: []Failure{{
			Message: fmt.Sprintf("not run: the %v time budget ran out, because other checks hung", total),
		}}}
	}
	start := time.Now()
	events, err := bin.Run(ctx, []string{name}, min(perTest, left))
	if os.Getenv("CHECKER_TRACE") != "" {
		fmt.Fprintf(os.Stderr, "trace: %s ran %v (timeout %v)\n", name, time.Since(start).Round(time.Millisecond), min(perTest, left))
	}
	return Judge(name, events, err)
}

// Judge grades one test from the events of a process that ran only it.
// err is what running the process returned, if anything.
func Judge(name string, events []gotest.Event, err error) Check {
	if c, ok := Interpret([]string{name}, events)[name]; ok {
		return c
	}
	// The program died before the test ended, or never started it.
	c := Check{Test: name, Sentence: Sentence(name), Status: Crashed}
	c.Panic, _ = findPanic(name, outputOf(events))
	if c.Panic == nil {
		msg := "the test program stopped before this check finished"
		if err != nil {
			msg += ": " + err.Error()
		}
		c.Panic = &Panic{Value: msg}
	}
	return c
}

func outputOf(events []gotest.Event) []string {
	var out []string
	for _, e := range events {
		if e.Action == gotest.Output {
			out = append(out, e.Output)
		}
	}
	return out
}
