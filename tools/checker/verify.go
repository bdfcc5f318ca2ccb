package main

import (
	"context"
	"fmt"

	"github.com/wsfromtcp/workshop/tools/checker/internal/grade"
	"github.com/wsfromtcp/workshop/tools/checker/internal/report"
	"github.com/wsfromtcp/workshop/tools/course"
)

// verify proves that the tests bite: every check of every step (or of the
// step in args) fails on the untouched stub and passes on the reference
// solution. It is the heart of make test.
func (e *environment) verify(ctx context.Context, args []string) (int, error) {
	steps := e.course.Steps
	switch len(args) {
	case 0:
	case 1:
		s, err := e.stepArg(args[0])
		if err != nil {
			return 2, err
		}
		steps = []course.Step{s}
	default:
		return 2, errUsage
	}
	e.printer.BitesHeader()
	var problems []string
	proven, total := 0, 0
	for _, s := range steps {
		b, n, err := e.bite(ctx, s)
		if err != nil {
			return 2, err
		}
		e.printer.Bite(b)
		problems = append(problems, b.Problems...)
		proven, total = proven+n, total+b.Checks
	}
	e.printer.BitesSummary(proven, total, problems)
	if len(problems) > 0 {
		return 1, nil
	}
	return 0, nil
}

// bite grades a step's stub and its solution, and returns how its tests
// bite, with the number of checks proven to: failing on the stub and
// passing on the solution.
func (e *environment) bite(ctx context.Context, s course.Step) (report.Bite, int, error) {
	b := report.Bite{Step: s}
	stubOpt, err := e.options(false)
	if err != nil {
		return b, 0, err
	}
	solOpt, err := e.options(true)
	if err != nil {
		return b, 0, err
	}
	stub, err := grade.Step(ctx, s, stubOpt)
	if err != nil {
		return b, 0, err
	}
	sol, err := grade.Step(ctx, s, solOpt)
	if err != nil {
		return b, 0, err
	}
	b.Checks, b.SolutionPasses, b.SolutionChecks = len(stub.Checks), sol.Passed(), len(sol.Checks)
	if !stub.Compiles() {
		b.Problems = append(b.Problems, fmt.Sprintf("%s: the stub does not compile: %s %s", s.Dir(), stub.Build[0].Location, stub.Build[0].Message))
	}
	if !sol.Compiles() {
		b.Problems = append(b.Problems, fmt.Sprintf("%s: the solution does not compile: %s %s", s.SolutionDir(), sol.Build[0].Location, sol.Build[0].Message))
	}
	if stub.Compiles() && len(stub.Checks) == 0 {
		b.Problems = append(b.Problems, fmt.Sprintf("%s has no tests", s.Dir()))
	}
	proven := 0
	for _, c := range stub.Checks {
		switch c.Status {
		case grade.Passed:
			b.Problems = append(b.Problems, fmt.Sprintf("%s passes on the untouched stub in %s: a check that cannot fail is a defect", c.Test, s.Dir()))
		case grade.NotRun:
			b.Problems = append(b.Problems, fmt.Sprintf("%s did not run on the stub in %s (the time budget ran out)", c.Test, s.Dir()))
		default:
			b.StubFails++
			if passedOn(sol, c.Test) {
				proven++
			}
		}
	}
	for _, c := range sol.Checks {
		if c.Status != grade.Passed {
			b.Problems = append(b.Problems, fmt.Sprintf("%s does not pass on the solution in %s: %s", c.Test, s.SolutionDir(), report.Why(c)))
		}
	}
	return b, proven, nil
}

func passedOn(r grade.Result, test string) bool {
	for _, c := range r.Checks {
		if c.Test == test {
			return c.Status == grade.Passed
		}
	}
	return false
}
