package grade

import (
	"context"
	"fmt"
	"time"

	"github.com/wsfromtcp/workshop/tools/checker/internal/gotest"
	"github.com/wsfromtcp/workshop/tools/course"
)

// Budget bounds how long grading one step may take once it has compiled.
// Every test is written to finish in well under a second when the code
// works; the budget only matters when it does not.
type Budget struct {
	Total  time.Duration // for all runs of the test binary together
	PerRun time.Duration // a single run's -test.timeout
}

// DefaultBudget grades any step in about 20 s at most, even when several
// tests hang one after another.
var DefaultBudget = Budget{Total: 20 * time.Second, PerRun: 8 * time.Second}

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
	bin, events, err := gotest.Build(buildCtx, opt.Root, dir, overlay, opt.Tmp)
	if err != nil {
		return res, err
	}
	if bin == nil {
		res.Build = buildErrors(events)
		return res, nil
	}
	names, err := bin.List(ctx)
	if err != nil {
		return res, err
	}
	res.Checks = run(ctx, bin, names, opt.Budget)
	return res, nil
}

// run grades names, running the binary again for the tests that a crash
// or a hang kept from running.
func run(ctx context.Context, bin *gotest.Binary, names []string, b Budget) []Check {
	if b.Total == 0 {
		b = DefaultBudget
	}
	deadline := time.Now().Add(b.Total)
	graded := map[string]Check{}
	pending := names
	for len(pending) > 0 {
		left := time.Until(deadline)
		if left < time.Second {
			break
		}
		events, err := bin.Run(ctx, pending, min(b.PerRun, left))
		got := Interpret(pending, events)
		if err != nil && len(got) == 0 {
			break
		}
		if len(got) == 0 {
			// The program died before any test ended: blame the first one,
			// so that the loop makes progress and the learner sees why.
			c := Check{Test: pending[0], Sentence: Sentence(pending[0]), Status: Crashed}
			c.Panic, _ = findPanic(outputOf(events))
			if c.Panic == nil {
				c.Panic = &Panic{Value: "the test program stopped before this check finished"}
			}
			got[pending[0]] = c
		}
		var next []string
		for _, n := range pending {
			if c, ok := got[n]; ok {
				graded[n] = c
			} else {
				next = append(next, n)
			}
		}
		pending = next
	}
	checks := make([]Check, 0, len(names))
	for _, n := range names {
		c, ok := graded[n]
		if !ok {
			c = Check{Test: n, Sentence: Sentence(n), Status: NotRun, Failures: []Failure{{
				Message: fmt.Sprintf("not run: the %v time budget ran out, because checks before it hung", b.Total),
			}}}
		}
		checks = append(checks, c)
	}
	return checks
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
