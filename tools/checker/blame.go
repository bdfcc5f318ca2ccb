package main

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/wsfromtcp/workshop/tools/checker/internal/gotest"
	"github.com/wsfromtcp/workshop/tools/checker/internal/grade"
	"github.com/wsfromtcp/workshop/tools/course"
)

// blameBudget bounds the time spent finding which earlier step makes a
// check fail: a compile and a run of the failing checks per try.
var blameBudget = grade.Budget{Total: 12 * time.Second, PerTest: 8 * time.Second, Parallel: 2}

// blame finds which of the learner's earlier steps make the failing checks
// of res fail. It grades those checks again with every earlier step swapped
// for the reference (through an overlay: no file of the learner's is
// touched); when some then pass, it swaps one earlier step at a time to
// find the one. It returns nothing when the failures stay with every
// earlier step swapped: then they are this step's own.
func (e *environment) blame(ctx context.Context, s course.Step, res grade.Result, deps []grade.Dependency) ([]grade.Blame, error) {
	var failing []string
	for _, c := range res.Checks {
		if c.Status != grade.Passed && c.Status != grade.NotRun {
			failing = append(failing, c.Test)
		}
	}
	if len(failing) == 0 || len(s.Needs) == 0 || !res.Compiles() {
		return nil, nil
	}
	var needs []course.Step
	for _, n := range s.Needs {
		dep, _ := e.course.Step(n)
		needs = append(needs, dep)
	}
	ctx, cancel := context.WithTimeout(ctx, 2*blameBudget.Total)
	defer cancel()
	all, err := e.passWithReference(ctx, s, needs, failing, "all")
	if err != nil || len(all) == 0 {
		return nil, err
	}
	// One earlier step at a time, side by side, for the checks that the
	// whole swap fixed.
	fixed := make([][]string, len(needs))
	errs := make([]error, len(needs))
	var wg sync.WaitGroup
	for i, dep := range needs {
		wg.Go(func() {
			fixed[i], errs[i] = e.passWithReference(ctx, s, []course.Step{dep}, all, dep.Slug)
		})
	}
	wg.Wait()
	done := func(steps []course.Step) bool {
		for _, st := range steps {
			for _, d := range deps {
				if d.Step.Number == st.Number && !d.Done() {
					return false
				}
			}
		}
		return true
	}
	var blames []grade.Blame
	explained := map[string]bool{}
	for i, dep := range needs {
		if errs[i] != nil || len(fixed[i]) == 0 {
			continue
		}
		b := grade.Blame{Steps: []course.Step{dep}, Done: done([]course.Step{dep})}
		for _, t := range fixed[i] {
			b.Checks = append(b.Checks, sentenceOf(res, t))
			explained[t] = true
		}
		blames = append(blames, b)
	}
	// What no single step explains needs several of them swapped together.
	if rest := slices.DeleteFunc(slices.Clone(all), func(t string) bool { return explained[t] }); len(rest) > 0 {
		b := grade.Blame{Steps: needs, Done: done(needs)}
		for _, t := range rest {
			b.Checks = append(b.Checks, sentenceOf(res, t))
		}
		blames = append(blames, b)
	}
	return blames, nil
}

// passWithReference grades the checks with the given earlier steps swapped
// for the reference and returns those that pass.
func (e *environment) passWithReference(ctx context.Context, s course.Step, swap []course.Step, checks []string, label string) ([]string, error) {
	tmp := filepath.Join(e.tmp, "blame-"+s.Slug+"-"+label)
	var stepDirs, solDirs []string
	for _, st := range swap {
		stepDirs = append(stepDirs, st.Dir())
		solDirs = append(solDirs, st.SolutionDir())
	}
	replace, err := e.workspace().SwapOverlay(tmp, stepDirs, solDirs)
	if err != nil {
		return nil, fmt.Errorf("swapping in the reference: %w", err)
	}
	overlay := filepath.Join(tmp, "overlay.json")
	if err := gotest.WriteOverlay(overlay, replace); err != nil {
		return nil, err
	}
	r, err := grade.Step(ctx, s, grade.Options{Root: e.root, Tmp: tmp, Overlay: overlay, Only: checks, Budget: blameBudget})
	if err != nil || !r.Compiles() {
		return nil, err
	}
	var pass []string
	for _, c := range r.Checks {
		if c.Status == grade.Passed {
			pass = append(pass, c.Test)
		}
	}
	return pass, nil
}

func sentenceOf(r grade.Result, test string) string {
	for _, c := range r.Checks {
		if c.Test == test {
			return c.Sentence
		}
	}
	return test
}
