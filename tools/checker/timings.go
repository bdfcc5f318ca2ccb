package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"

	"github.com/wsfromtcp/workshop/tools/checker/internal/report"
)

// Timing targets from the maintainers' promise in the README: on an idle
// 2-core machine with a warm build cache, a passing step grades in a
// second (steps 8–10, which run servers and a conformance suite, in
// three), and any failing step, hangs included, in 30 s.
const (
	passTarget     = time.Second
	passTargetLate = 3 * time.Second
	failTarget     = 30 * time.Second
)

// timings measures how long the checker takes, as a learner waits for it:
// each step graded passing (the reference solution) three times, the
// median kept, and failing (the learner's code, the untouched stub on a
// fresh clone) once. Each run is this binary started anew, as make does.
//
// With -classroom it measures instead what the live classroom costs a
// learner whose dashboard is away (classroom_timing.go).
func (e *environment) timings(ctx context.Context, args []string) (int, error) {
	if len(args) == 1 && args[0] == "-classroom" {
		return e.classroomTimings(ctx)
	}
	timeRun := func(args ...string) (time.Duration, error) {
		d, _, err := e.timeRun(ctx, nil, args...)
		return d, err
	}
	e.printer.TimingsHeader()
	missed := 0
	for _, s := range e.course.Steps {
		n := fmt.Sprint(s.Number)
		if _, err := timeRun("step", n, "-solution"); err != nil { // warm the build cache
			return 2, err
		}
		var runs []time.Duration
		for range 3 {
			d, err := timeRun("step", n, "-solution")
			if err != nil {
				return 2, err
			}
			runs = append(runs, d)
		}
		slices.Sort(runs)
		pass := runs[1]
		fail, err := timeRun("step", n)
		if err != nil {
			return 2, err
		}
		target := passTarget
		if s.Number >= 8 {
			target = passTargetLate
		}
		t := report.Timing{Step: s, Pass: pass, PassTarget: target, Fail: fail, FailTarget: failTarget}
		e.printer.Timing(t)
		missed += t.Missed()
	}
	e.printer.TimingsMissed(missed)
	return 0, nil
}

// timeRun runs this binary anew with args, as make does, in the
// checkout's root, with env added to the environment, and returns how long
// it took and what it wrote to stderr. A failing grade is what is being
// timed, so its exit status is no error.
func (e *environment) timeRun(ctx context.Context, env []string, args ...string) (time.Duration, string, error) {
	self, err := os.Executable()
	if err != nil {
		return 0, "", err
	}
	cmd := exec.CommandContext(ctx, self, args...)
	cmd.Dir = e.layout.Root
	cmd.Env = append(os.Environ(), env...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	err = cmd.Run()
	if _, ok := err.(*exec.ExitError); ok {
		err = nil
	}
	return time.Since(start), stderr.String(), err
}
