package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/fatih/color"

	"github.com/wsfromtcp/workshop/tools/checker/internal/grade"
)

// verify proves that the tests bite: every check of every step fails on the
// untouched stub and passes on the reference solution. It is the heart of
// make test.
func (e *environment) verify(ctx context.Context) (int, error) {
	green, red, bold := e.printer.Paint(color.FgGreen), e.printer.Paint(color.FgRed), e.printer.Paint(color.Bold)
	fmt.Fprintln(e.out, bold("Tests bite: every check must fail on the untouched stub and pass on the reference solution."))
	var problems []string
	proven, total := 0, 0
	for _, s := range e.course.Steps {
		stubOpt, err := e.options(false)
		if err != nil {
			return 2, err
		}
		solOpt, err := e.options(true)
		if err != nil {
			return 2, err
		}
		stub, err := grade.Step(ctx, s, stubOpt)
		if err != nil {
			return 2, err
		}
		sol, err := grade.Step(ctx, s, solOpt)
		if err != nil {
			return 2, err
		}
		var mine []string
		if !stub.Compiles() {
			mine = append(mine, fmt.Sprintf("%s: the stub does not compile: %s %s", s.Dir(), stub.Build[0].Location, stub.Build[0].Message))
		}
		if !sol.Compiles() {
			mine = append(mine, fmt.Sprintf("%s: the solution does not compile: %s %s", s.SolutionDir(), sol.Build[0].Location, sol.Build[0].Message))
		}
		if stub.Compiles() && len(stub.Checks) == 0 {
			mine = append(mine, fmt.Sprintf("%s has no tests", s.Dir()))
		}
		stubFails := 0
		for _, c := range stub.Checks {
			switch c.Status {
			case grade.Passed:
				mine = append(mine, fmt.Sprintf("%s passes on the untouched stub in %s: a check that cannot fail is a defect", c.Test, s.Dir()))
			case grade.NotRun:
				mine = append(mine, fmt.Sprintf("%s did not run on the stub in %s (the time budget ran out)", c.Test, s.Dir()))
			default:
				stubFails++
			}
		}
		for _, c := range sol.Checks {
			if c.Status != grade.Passed {
				mine = append(mine, fmt.Sprintf("%s %s on the solution in %s%s", c.Test, c.Status, s.SolutionDir(), firstReason(c)))
			}
		}
		for _, c := range stub.Checks {
			total++
			if c.Status != grade.Passed && c.Status != grade.NotRun && passedOn(sol, c.Test) {
				proven++
			}
		}
		mark := green("✓")
		if len(mine) > 0 {
			mark = red("✗")
		}
		fmt.Fprintf(e.out, "  %s %-24s %2d checks   stub: %2d/%d fail   solution: %2d/%d pass\n",
			mark, s.Name(), len(stub.Checks), stubFails, len(stub.Checks), sol.Passed(), len(sol.Checks))
		problems = append(problems, mine...)
	}
	// A closing line in the form CI logs are read for: a check counts as
	// passed when it is proven to bite (fails on the stub, passes on the
	// solution).
	fmt.Fprintf(e.out, "checks: %d passed, %d failed\n", proven, total-proven)
	if len(problems) > 0 {
		fmt.Fprintln(e.out)
		for _, p := range problems {
			fmt.Fprintln(e.out, red("  ✗ ")+p)
		}
		return 1, nil
	}
	return 0, nil
}

func passedOn(r grade.Result, test string) bool {
	for _, c := range r.Checks {
		if c.Test == test {
			return c.Status == grade.Passed
		}
	}
	return false
}

func firstReason(c grade.Check) string {
	if c.Panic != nil {
		return ": " + c.Panic.Value
	}
	for _, f := range c.Failures {
		if msg := strings.TrimSpace(f.Message + " " + strings.Join(f.Details, " ")); msg != "" {
			return ": " + msg
		}
	}
	return ""
}
