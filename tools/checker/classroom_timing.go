package main

import (
	"context"
	"fmt"
	"net"
	"regexp"
	"slices"
	"time"

	"github.com/wsfromtcp/workshop/tools/checker/internal/classroom"
	"github.com/wsfromtcp/workshop/tools/checker/internal/workspace"
)

// classroomRuns is how many times each case is graded; medians are kept.
const classroomRuns = 10

// tookTrace is the checker's trace line of how long the dashboard took.
var tookTrace = regexp.MustCompile(`trace: classroom: the dashboard took (\S+)`)

// classroomTimings measures what joining a classroom costs when its
// dashboard is away (checker timings -classroom, the README's timings
// table): step 3 graded on the learner's code, not joined, joined to a
// dashboard that was stopped (nothing listens: refused at once), and
// joined to one that hangs (it takes the connection and never answers:
// the worst case, bounded by classroom.Wait). The runs of the three cases
// alternate, so that a machine that slows down slows them all. Beside the
// whole run's time, it shows the part the checker spent on the dashboard
// after grading, from its trace: on a busy machine the runs vary by more
// than that part. The classroom joined before, if any, is put back.
func (e *environment) classroomTimings(ctx context.Context) (int, error) {
	s, _ := e.course.Step(3)
	ws := e.workspace()
	saved, err := ws.Classroom()
	if err != nil {
		return 2, err
	}
	defer func() { _ = ws.SetClassroom(saved) }()

	stopped, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 2, err
	}
	stoppedAddr := stopped.Addr().String()
	stopped.Close()
	hanging, err := net.Listen("tcp", "127.0.0.1:0") // never accepts: the kernel completes TCP, nobody answers
	if err != nil {
		return 2, err
	}
	defer hanging.Close()

	cases := []struct {
		name string
		room *workspace.Classroom
	}{
		{"not joined", nil},
		{"joined, dashboard stopped", &workspace.Classroom{Addr: stoppedAddr, Code: "TIMING", Name: "timings"}},
		{"joined, dashboard hanging", &workspace.Classroom{Addr: hanging.Addr().String(), Code: "TIMING", Name: "timings"}},
	}
	step := fmt.Sprint(s.Number)
	if _, _, err := e.timeRun(ctx, nil, "step", step); err != nil { // warm the build cache
		return 2, err
	}
	runs := make([][]time.Duration, len(cases))
	spent := make([][]time.Duration, len(cases))
	for range classroomRuns {
		for i, c := range cases {
			if err := ws.SetClassroom(c.room); err != nil {
				return 2, err
			}
			d, stderr, err := e.timeRun(ctx, []string{"CHECKER_TRACE=1"}, "step", step)
			if err != nil {
				return 2, err
			}
			runs[i] = append(runs[i], d)
			took := time.Duration(0)
			if m := tookTrace.FindStringSubmatch(stderr); m != nil {
				took, _ = time.ParseDuration(m[1])
			}
			spent[i] = append(spent[i], took)
		}
	}
	fmt.Fprintf(e.out, "%s failing (your code), median of %d runs each; a classroom may add %v at most:\n", s.Name(), classroomRuns, classroom.Wait)
	fmt.Fprintf(e.out, "  %-27s %8s %12s %16s\n", "", "median", "paired diff", "on the dashboard")
	for i, c := range cases {
		// Each run against the run not joined of the same round: a machine
		// whose load changes slowly changes both alike.
		diffs := make([]time.Duration, len(runs[i]))
		for r := range runs[i] {
			diffs[r] = runs[i][r] - runs[0][r]
		}
		fmt.Fprintf(e.out, "  %-27s %6.2f s %+10.2f s %16v\n", c.name, median(runs[i]).Seconds(), median(diffs).Seconds(),
			median(spent[i]).Round(10*time.Microsecond))
	}
	return 0, nil
}

func median(ds []time.Duration) time.Duration {
	ds = slices.Clone(ds)
	slices.Sort(ds)
	return ds[len(ds)/2]
}
