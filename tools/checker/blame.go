package main

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"time"

	"github.com/wsfromtcp/workshop/tools/checker/internal/grade"
	"github.com/wsfromtcp/workshop/tools/course"
)

// blameBudget bounds one try of finding which earlier step makes a check
// fail: a run of the failing checks after a compile.
var blameBudget = grade.Budget{Total: 8 * time.Second, PerTest: 4 * time.Second, Parallel: 2}

// blame finds which of the learner's earlier steps make the failing checks
// of res fail. It grades those checks again with earlier steps swapped for
// the reference (through an overlay: no file of the learner's is touched):
// first all of them; when some checks then pass, it bisects the steps in
// order, swapping steps 1…m for a shrinking range of m, to find the first
// step m whose reference makes them pass, and last tries that step alone.
// That is a handful of builds, one after another, whatever the number of
// earlier steps. It returns nothing when the failures stay with every
// earlier step swapped: then they are this step's own.
func (e *environment) blame(ctx context.Context, s course.Step, res grade.Result, grades func() []grade.Dependency) ([]grade.Blame, error) {
	var failing []string
	for _, c := range res.Checks {
		// A check that reached a TODO already says which step to write.
		todo := c.Panic != nil && c.Panic.TODO != 0
		if c.Status != grade.Passed && c.Status != grade.NotRun && !todo {
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
	slices.SortFunc(needs, func(a, b course.Step) int { return a.Number - b.Number })
	fixed, err := e.passWithReference(ctx, s, needs, failing, "all")
	if err != nil || len(fixed) == 0 {
		return nil, err
	}
	// The smallest m such that swapping needs[:m+1] makes the fixed
	// checks pass; needs[:len] is known to.
	lo, hi := 0, len(needs)-1
	for lo < hi {
		mid := (lo + hi) / 2
		pass, err := e.passWithReference(ctx, s, needs[:mid+1], fixed, fmt.Sprint("upto", needs[mid].Number))
		if err != nil {
			return nil, err
		}
		if len(pass) == len(fixed) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	culprits := needs[:lo+1]
	if lo > 0 {
		alone, err := e.passWithReference(ctx, s, needs[lo:lo+1], fixed, needs[lo].Slug)
		if err != nil {
			return nil, err
		}
		if len(alone) == len(fixed) {
			culprits = needs[lo : lo+1]
		}
	}
	b := grade.Blame{Steps: culprits, Done: true}
	deps := grades()
	for _, st := range culprits {
		for _, d := range deps {
			if d.Step.Number == st.Number && !d.Done() {
				b.Done = false
			}
		}
	}
	for _, t := range fixed {
		b.Checks = append(b.Checks, sentenceOf(res, t))
	}
	return []grade.Blame{b}, nil
}

// passWithReference grades the checks with the given earlier steps swapped
// for the reference and returns those that pass.
func (e *environment) passWithReference(ctx context.Context, s course.Step, swap []course.Step, checks []string, label string) ([]string, error) {
	work := filepath.Join(e.work, "blame-"+s.Slug+"-"+label)
	var slugs []string
	for _, st := range swap {
		slugs = append(slugs, st.Slug)
	}
	o, err := e.layout.SwapReference(work, slugs)
	if err != nil {
		return nil, fmt.Errorf("swapping in the reference: %w", err)
	}
	overlay := filepath.Join(work, "overlay.json")
	if err := o.Write(overlay); err != nil {
		return nil, err
	}
	r, err := grade.Step(ctx, s, grade.Options{Root: e.layout.Root, Tmp: work, Overlay: overlay, Only: checks, Together: true, Budget: blameBudget})
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
