package rfcmap

import (
	"fmt"
	"slices"

	"github.com/wsfromtcp/workshop/tools/course"
)

// Untraced lists the requirements that are neither implemented and
// checked nor marked not applicable, with what they lack.
func (t *Trace) Untraced() []string {
	var out []string
	for _, r := range t.Map.Requirements {
		if r.Status != course.Implemented {
			continue
		}
		switch {
		case len(t.Impl[r.ID]) == 0:
			out = append(out, r.ID+": implemented, but no tag in solutions/ says where")
		case len(t.Checks[r.ID]) == 0:
			out = append(out, r.ID+": implemented, but no step test or conformance case says it proves it")
		}
	}
	return out
}

// Coverage is the line make test and the README show.
func (t *Trace) Coverage() string {
	na := 0
	for _, r := range t.Map.Requirements {
		if r.Status == course.NotApplicable {
			na++
		}
	}
	untraced := len(t.Untraced())
	return fmt.Sprintf("RFC 6455 server requirements: %d implemented and checked, %d not applicable, %d untraced",
		len(t.Map.Requirements)-na-untraced, na, untraced)
}

// Quotes lists the requirements that a step's check quotes under its ✗:
// those its first tag line names (the most specific, which its further tag
// lines do not repeat), at most most.
func (t *Trace) Quotes(s course.Step, check string, most int) []course.Requirement {
	var out []course.Requirement
	for _, id := range t.Quoted[s.Slug+"/"+check] {
		if r, ok := t.Map.Requirement(id); ok && len(out) < most {
			out = append(out, r)
		}
	}
	return out
}

// OfStep lists the requirements that step n implements, in the RFC's order.
func (t *Trace) OfStep(n int) []course.Requirement {
	var out []course.Requirement
	for _, r := range t.Map.Requirements {
		if slices.ContainsFunc(t.Impl[r.ID], func(s Site) bool { return s.Step == n }) {
			out = append(out, r)
		}
	}
	return out
}
