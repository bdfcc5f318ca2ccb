package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/wsfromtcp/workshop/tools/checker/internal/grade"
	"github.com/wsfromtcp/workshop/tools/checker/internal/layout"
	"github.com/wsfromtcp/workshop/tools/checker/internal/report"
	"github.com/wsfromtcp/workshop/tools/checker/internal/tamper"
	"github.com/wsfromtcp/workshop/tools/checker/internal/watch"
	"github.com/wsfromtcp/workshop/tools/checker/internal/workspace"
	"github.com/wsfromtcp/workshop/tools/classroom/dashboard"
	"github.com/wsfromtcp/workshop/tools/course"
)

func (e *environment) workspace() *workspace.Workspace { return workspace.New(e.layout) }

// gradeAll grades every step of the learner's code, for progress and grade.
func (e *environment) gradeAll(ctx context.Context) ([]report.StepGrade, error) {
	opt, err := e.options(false)
	if err != nil {
		return nil, err
	}
	ws := e.workspace()
	var grades []report.StepGrade
	for _, s := range e.course.Steps {
		res, err := grade.Step(ctx, s, opt)
		if err != nil {
			return nil, err
		}
		e.tamperCheck(s, &res)
		// Every check the course lists counts, also one whose test was
		// deleted; without the list, the test files say.
		names, err := grade.TestNames(e.layout.Path(layout.Dir(layout.Steps, s.Slug)))
		if err != nil {
			return nil, err
		}
		borrowed, err := grade.Borrowed(e.layout, s)
		if err != nil {
			return nil, err
		}
		names = append(names, borrowed...)
		if m, err := tamper.Load(e.layout.Root); err == nil {
			if want, ok := m.StepChecks(s); ok {
				names = want
			}
		}
		g := report.StepGrade{Result: res, Names: names, State: report.InProgress}
		if g.Hints, err = ws.HintsTaken(s.Slug); err != nil {
			return nil, err
		}
		switch untouched, err := ws.Untouched(s.Slug); {
		case res.Done():
			g.State = report.Done
		case err == nil && untouched, err != nil && res.Passed() == 0:
			g.State = report.NotStarted
		}
		grades = append(grades, g)
	}
	return grades, nil
}

func (e *environment) progress(ctx context.Context, _ []string) (int, error) {
	grades, err := e.gradeAll(ctx)
	if err != nil {
		return 2, err
	}
	e.printer.Progress(grades)
	e.printTimes()
	return 0, nil
}

// grade writes the whole workshop's grade: the progress table, and with
// -json the report GitHub Classroom reads, to stdout or to -o FILE.
func (e *environment) grade(ctx context.Context, args []string) (int, error) {
	fs := flag.NewFlagSet("grade", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "write the JSON report (see tools/checker/grade.schema.json)")
	out := fs.String("o", "", "write the JSON report to this file instead of stdout")
	if err := fs.Parse(args); err != nil {
		return 2, err
	}
	grades, err := e.gradeAll(ctx)
	if err != nil {
		return 2, err
	}
	c := report.NewClassroom(grades)
	switch {
	case *out != "":
		f, err := os.Create(*out)
		if err != nil {
			return 2, err
		}
		if err := report.JSON(f, c); err != nil {
			f.Close()
			return 2, err
		}
		if err := f.Close(); err != nil {
			return 2, err
		}
		e.printer.Progress(grades)
		e.printer.Wrote(*out, c)
	case *asJSON:
		return 0, report.JSON(e.out, c)
	default:
		e.printer.Progress(grades)
	}
	return 0, nil
}

func (e *environment) hint(_ context.Context, args []string) (int, error) {
	s, err := e.oneStep(args)
	if err != nil {
		return 2, err
	}
	hints, err := workspace.Hints(e.layout.Path(layout.Dir(layout.Steps, s.Slug)))
	if err != nil {
		return 2, err
	}
	ws := e.workspace()
	before, err := ws.HintsTaken(s.Slug)
	if err != nil {
		return 2, err
	}
	n, err := ws.TakeHint(s.Slug, len(hints))
	if err != nil {
		return 2, err
	}
	e.printer.Hint(s, n, len(hints), before, hints[n-1].Title, hints[n-1].Body)
	e.tell(dashboard.KindHint, s)
	return 0, nil
}

func (e *environment) solve(_ context.Context, args []string) (int, error) {
	code, err := e.replaceStep(args, (*workspace.Workspace).Solve, e.printer.Solved)
	if s, serr := e.oneStep(args); err == nil && serr == nil {
		e.tell(dashboard.KindSolve, s)
	}
	return code, err
}

func (e *environment) reset(_ context.Context, args []string) (int, error) {
	return e.replaceStep(args, (*workspace.Workspace).Reset, e.printer.Reset)
}

// replaceStep replaces the code of the learner's step, which replace
// backs up first, and says where the backup is.
func (e *environment) replaceStep(args []string, replace func(*workspace.Workspace, string) (string, error), say func(course.Step, string)) (int, error) {
	s, err := e.oneStep(args)
	if err != nil {
		return 2, err
	}
	backup, err := replace(e.workspace(), s.Slug)
	if err != nil {
		return 2, err
	}
	say(s, backup)
	return 0, nil
}

func (e *environment) restore(_ context.Context, args []string) (int, error) {
	s, err := e.oneStep(args)
	if err != nil {
		return 2, err
	}
	restored, saved, err := e.workspace().Restore(s.Slug)
	if err != nil {
		return 2, err
	}
	e.printer.Restored(s, restored, saved)
	return 0, nil
}

// watch grades a step now and again after every save under steps/, until
// Ctrl-C.
func (e *environment) watch(ctx context.Context, args []string) (int, error) {
	s, err := e.oneStep(args)
	if err != nil {
		return 2, err
	}
	gradeNow := func() {
		e.printer.ClearScreen()
		if _, err := e.step(ctx, []string{fmt.Sprint(s.Number)}); err != nil && !errors.Is(err, context.Canceled) {
			e.printer.Error(err)
		}
		e.printer.Watching(s)
	}
	gradeNow()
	watch.Loop(ctx, e.layout.Path(string(layout.Steps)), 250*time.Millisecond, 300*time.Millisecond, gradeNow)
	e.printer.WatchStopped()
	return 0, nil
}

func (e *environment) oneStep(args []string) (course.Step, error) {
	if len(args) != 1 || args[0] == "" {
		return course.Step{}, errors.New("say which step, e.g. make hint STEP=3")
	}
	return e.stepArg(args[0])
}
