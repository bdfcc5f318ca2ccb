package main

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"sync"

	"github.com/wsfromtcp/workshop/tools/checker/internal/grade"
	"github.com/wsfromtcp/workshop/tools/checker/internal/layout"
	"github.com/wsfromtcp/workshop/tools/checker/internal/report"
	"github.com/wsfromtcp/workshop/tools/course"
)

// bugs proves the bug catalogue (tools/course/bugs): each bug, applied to
// the reference solution through the overlay, makes its own step fail, and
// the first ✗ is the check the catalogue names. Tests bite, one level
// deeper: they catch the mistakes learners really make, where they make
// them.
func (e *environment) bugs(ctx context.Context, args []string) (int, error) {
	all, err := e.course.Bugs()
	if err != nil {
		return 2, err
	}
	var bugs []course.Bug
	for _, b := range all {
		if len(args) == 0 || args[0] == strconv.Itoa(b.Step.Number) {
			bugs = append(bugs, b)
		}
	}
	if len(args) > 1 {
		return 2, errUsage
	}
	if len(bugs) == 0 {
		return 2, fmt.Errorf("the catalogue has no bugs for step %s", args[0])
	}
	base, err := e.layout.SolutionTests(e.work, e.slugs())
	if err != nil {
		return 2, err
	}
	e.printer.BugsHeader()

	// Two at a time: each is a compile and a run of one step's tests.
	verdicts := make([]report.BugVerdict, len(bugs))
	errs := make([]error, len(bugs))
	slots := make(chan struct{}, 2)
	var wg sync.WaitGroup
	for i, b := range bugs {
		wg.Go(func() {
			slots <- struct{}{}
			defer func() { <-slots }()
			verdicts[i], errs[i] = e.gradeBug(ctx, b, base)
		})
	}
	wg.Wait()
	caught := 0
	for i, v := range verdicts {
		if errs[i] != nil {
			return 2, errs[i]
		}
		if v.Problem == "" {
			caught++
		}
	}
	e.printer.Bugs(verdicts)
	if caught < len(bugs) {
		return 1, nil
	}
	return 0, nil
}

// gradeBug applies a bug to copies of its step's solution files, grades
// the step through an overlay that puts the copies in place, and judges.
func (e *environment) gradeBug(ctx context.Context, b course.Bug, base layout.Overlay) (report.BugVerdict, error) {
	v := report.BugVerdict{Bug: b}
	dir := filepath.Join(e.work, "bugs", b.Name)
	solution := func(name string) string { return e.layout.Path(layout.Dir(layout.Solutions, b.Step.Slug), name) }
	edited := func(name string) string { return filepath.Join(dir, name) }
	if err := applyBug(b, solution, edited); err != nil {
		v.Problem = err.Error()
		return v, nil
	}
	o := maps.Clone(base)
	for _, ed := range b.Edits {
		o[solution(ed.File)] = edited(ed.File)
	}
	overlay := filepath.Join(dir, "overlay.json")
	if err := o.Write(overlay); err != nil {
		return v, err
	}
	res, err := grade.Step(ctx, b.Step, grade.Options{Root: e.layout.Root, Tmp: dir, Solution: true, Overlay: overlay, Budget: grade.DefaultBudget})
	if err != nil {
		return v, err
	}
	first := res.FirstProblem()
	switch {
	case !res.Compiles():
		v.Problem = fmt.Sprintf("the edited solution does not compile: %s %s", res.Build[0].Location, res.Build[0].Message)
	case first == nil:
		v.Problem = "every check passes: the tests miss this bug"
	case first.Test != b.Check:
		v.First = first.Sentence
		v.Problem = fmt.Sprintf("the first ✗ is %s (%s), not %s", first.Test, first.Status, b.Check)
	default:
		v.First = first.Sentence
	}
	return v, nil
}

// applyBug makes a catalogued bug's edits: each file it edits is read
// from from(name), and written, edited, to to(name).
func applyBug(b course.Bug, from, to func(name string) string) error {
	files := map[string]string{}
	for _, ed := range b.Edits {
		data, err := os.ReadFile(from(ed.File))
		if err != nil {
			return fmt.Errorf("bug %s edits %s: %w", b.Name, ed.File, err)
		}
		files[ed.File] = string(data)
	}
	if err := b.Apply(files); err != nil {
		return err
	}
	for name, text := range files {
		if err := layout.WriteFile(to(name), []byte(text)); err != nil {
			return err
		}
	}
	return nil
}
