package grade

import (
	"fmt"
	"maps"
	"path/filepath"
	"strings"

	"github.com/wsfromtcp/workshop/tools/checker/internal/layout"
	"github.com/wsfromtcp/workshop/tools/course"
)

// Reruns is the overlay that compiles the test files step borrows from an
// earlier step (steps.json alsoPasses) into its package in tree, with the
// copies under into; nil for a step that borrows nothing.
func Reruns(l layout.Layout, into string, tree layout.Tree, step course.Step) (layout.Overlay, error) {
	r := step.AlsoPasses
	if r == nil {
		return nil, nil
	}
	if r.Slug == "" {
		return nil, fmt.Errorf("grade: step %d borrows step %d's checks, whose folder the course did not name", step.Number, r.Step)
	}
	return l.Rerun(into, tree, r.Slug, step.Slug, step.Package, r.Files)
}

// Borrowed lists the checks step borrows from an earlier step (steps.json
// alsoPasses), as that step's test files hold them, in file and source
// order.
func Borrowed(l layout.Layout, step course.Step) ([]string, error) {
	r := step.AlsoPasses
	if r == nil {
		return nil, nil
	}
	var checks []string
	for _, name := range r.Files {
		f, err := readTestFile(l.Path(layout.Dir(layout.Steps, r.Slug), name))
		if err != nil {
			return nil, err
		}
		checks = append(checks, f.Checks...)
	}
	return checks, nil
}

// withReruns is the overlay to grade step with: opt's, plus the checks the
// step borrows (Reruns), written beside the test binary; and the names of
// the borrowed checks. Without borrowed checks it is opt's overlay as it is.
func withReruns(opt Options, tree layout.Tree, step course.Step) (string, map[string]bool, error) {
	if step.AlsoPasses == nil {
		return opt.Overlay, nil, nil
	}
	l, err := layout.At(opt.Root)
	if err != nil {
		return "", nil, err
	}
	o := layout.Overlay{}
	if opt.Overlay != "" {
		if o, err = layout.ReadOverlay(opt.Overlay); err != nil {
			return "", nil, err
		}
	}
	dir := filepath.Join(opt.Tmp, "borrowed")
	add, err := Reruns(l, dir, tree, step)
	if err != nil {
		return "", nil, err
	}
	names, err := Borrowed(l, step)
	if err != nil {
		return "", nil, err
	}
	maps.Copy(o, add)
	path := filepath.Join(dir, step.Slug+"-"+string(tree)+".json")
	if err := o.Write(path); err != nil {
		return "", nil, err
	}
	borrowed := make(map[string]bool, len(names))
	for _, n := range names {
		borrowed[n] = true
	}
	return path, borrowed, nil
}

// borrowedLocation is where a borrowed check's failure is in the earlier
// step's folder: the copy 08-control_helpers_test.go:168 compiled into step
// 12 is steps/08-control/helpers_test.go:168, the file a learner can open.
func borrowedLocation(step course.Step, loc string) string {
	if rest, ok := strings.CutPrefix(loc, step.AlsoPasses.Slug+"_"); ok {
		return layout.Dir(layout.Steps, step.AlsoPasses.Slug) + "/" + rest
	}
	return loc
}
