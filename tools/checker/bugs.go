package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"

	"github.com/fatih/color"

	"github.com/wsfromtcp/workshop/tools/checker/internal/gotest"
	"github.com/wsfromtcp/workshop/tools/checker/internal/grade"
	"github.com/wsfromtcp/workshop/tools/course"
)

// bugVerdict is what grading one catalogued bug showed.
type bugVerdict struct {
	bug     course.Bug
	problem string // empty when the bug is caught with its check as the first ✗
	first   string // the sentence of the first failing check, when there is one
}

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
	base, err := gotest.SolutionOverlay(e.root, e.work, modulePath, e.slugs())
	if err != nil {
		return 2, err
	}
	green, red, bold := e.printer.Paint(color.FgGreen), e.printer.Paint(color.FgRed), e.printer.Paint(color.Bold)
	fmt.Fprintln(e.out, bold("Bug catalogue: each bug must fail its own step, with the catalogued check as the first ✗."))

	// Two at a time: each is a compile and a run of one step's tests.
	verdicts := make([]bugVerdict, len(bugs))
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
		name := fmt.Sprintf("%02d %s", v.bug.Step.Number, v.bug.Name)
		if v.problem == "" {
			caught++
			fmt.Fprintf(e.out, "  %s %-48s first ✗: %s\n", green("✓"), name, v.first)
			continue
		}
		fmt.Fprintf(e.out, "  %s %-48s %s\n", red("✗"), name, v.problem)
		fmt.Fprintf(e.out, "      why learners write it: %s\n", v.bug.Why)
	}
	fmt.Fprintf(e.out, "bugs: %d passed, %d failed\n", caught, len(bugs)-caught)
	if caught < len(bugs) {
		return 1, nil
	}
	return 0, nil
}

// gradeBug applies a bug to copies of its step's solution files, grades
// the step through an overlay that puts the copies in place, and judges.
func (e *environment) gradeBug(ctx context.Context, b course.Bug, base map[string]string) (bugVerdict, error) {
	v := bugVerdict{bug: b}
	dir := filepath.Join(e.work, "bugs", b.Name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return v, err
	}
	replace := map[string]string{}
	for k, p := range base {
		replace[k] = p
	}
	files := map[string]string{} // the solution files the bug edits, by name
	for _, ed := range b.Edits {
		data, err := os.ReadFile(filepath.Join(e.root, b.Step.SolutionDir(), ed.File))
		if err != nil {
			v.problem = fmt.Sprintf("cannot read %s: %v", ed.File, err)
			return v, nil
		}
		files[ed.File] = string(data)
	}
	if err := b.Apply(files); err != nil {
		v.problem = err.Error()
		return v, nil
	}
	for name, text := range files {
		dst := filepath.Join(dir, name)
		if err := gotest.WriteFile(dst, []byte(text)); err != nil {
			return v, err
		}
		replace[filepath.Join(e.root, b.Step.SolutionDir(), name)] = dst
	}
	overlay := filepath.Join(dir, "overlay.json")
	if err := gotest.WriteOverlay(overlay, replace); err != nil {
		return v, err
	}
	res, err := grade.Step(ctx, b.Step, grade.Options{Root: e.root, Tmp: dir, Solution: true, Overlay: overlay, Budget: grade.DefaultBudget})
	if err != nil {
		return v, err
	}
	first := res.FirstProblem()
	switch {
	case !res.Compiles():
		v.problem = fmt.Sprintf("the edited solution does not compile: %s %s", res.Build[0].Location, res.Build[0].Message)
	case first == nil:
		v.problem = "every check passes: the tests miss this bug"
	case first.Test != b.Check:
		v.first = first.Sentence
		v.problem = fmt.Sprintf("the first ✗ is %s (%s), not %s", first.Test, first.Status, b.Check)
	default:
		v.first = first.Sentence
	}
	return v, nil
}
