package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/fatih/color"

	"github.com/wsfromtcp/workshop/tools/checker/internal/grade"
	"github.com/wsfromtcp/workshop/tools/checker/internal/report"
	"github.com/wsfromtcp/workshop/tools/checker/internal/tamper"
	"github.com/wsfromtcp/workshop/tools/checker/internal/watch"
	"github.com/wsfromtcp/workshop/tools/checker/internal/workspace"
	"github.com/wsfromtcp/workshop/tools/course"
)

func (e *environment) workspace() *workspace.Workspace { return workspace.New(e.root, modulePath) }

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
		names, err := grade.TestNames(filepath.Join(e.root, s.Dir()))
		if err != nil {
			return nil, err
		}
		if m, err := tamper.Load(e.root); err == nil {
			if want, ok := m.Checks(s.Slug); ok {
				names = want
			}
		}
		g := report.StepGrade{Result: res, Names: names, State: report.InProgress}
		if g.Hints, err = ws.HintsTaken(s.Slug); err != nil {
			return nil, err
		}
		switch untouched, err := ws.Untouched(s.Dir()); {
		case res.Done():
			g.State = report.Done
		case err == nil && untouched, err != nil && res.Passed() == 0:
			g.State = report.NotStarted
		}
		grades = append(grades, g)
	}
	return grades, nil
}

func (e *environment) progress(ctx context.Context) (int, error) {
	grades, err := e.gradeAll(ctx)
	if err != nil {
		return 2, err
	}
	e.printer.Progress(grades)
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
		fmt.Fprintf(e.out, "\nWrote %s: %d/%d points.\n", *out, c.Score, c.MaxScore)
	case *asJSON:
		return 0, report.JSON(e.out, c)
	default:
		e.printer.Progress(grades)
	}
	return 0, nil
}

func (e *environment) hint(args []string) (int, error) {
	s, err := e.oneStep(args)
	if err != nil {
		return 2, err
	}
	hints, err := workspace.Hints(filepath.Join(e.root, s.Dir()))
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
	h := hints[n-1]
	bold := e.printer.Paint(color.Bold)
	fmt.Fprintf(e.out, "%s\n\n%s\n\n", bold(fmt.Sprintf("%s — hint %d of %d: %s", s.Name(), n, len(hints), h.Title)), h.Body)
	switch {
	case before >= len(hints):
		fmt.Fprintf(e.out, "That was the last hint. The reference solution is in %s; make solve STEP=%d takes it (your code is backed up first).\n", s.SolutionDir(), s.Number)
	case n < len(hints):
		fmt.Fprintf(e.out, "Still stuck? make hint STEP=%d shows the next one. Check your work with make step%d.\n", s.Number, s.Number)
	default:
		fmt.Fprintf(e.out, "That is the last hint. Check your work with make step%d.\n", s.Number)
	}
	return 0, nil
}

func (e *environment) solve(args []string) (int, error) {
	s, err := e.oneStep(args)
	if err != nil {
		return 2, err
	}
	backup, err := e.workspace().Solve(s.Dir(), s.SolutionDir())
	if err != nil {
		return 2, err
	}
	fmt.Fprintf(e.out, "%s now holds the reference solution (its imports point at your own earlier steps).\n", s.Dir())
	fmt.Fprintf(e.out, "Your version is saved in %s; make restore STEP=%d brings it back.\n", backup, s.Number)
	fmt.Fprintf(e.out, "Next: make step%d to see it pass, or go on with the next step.\n", s.Number)
	return 0, nil
}

func (e *environment) reset(args []string) (int, error) {
	s, err := e.oneStep(args)
	if err != nil {
		return 2, err
	}
	backup, err := e.workspace().Reset(s.Dir())
	if err != nil {
		return 2, err
	}
	fmt.Fprintf(e.out, "%s is back to the untouched stub.\n", s.Dir())
	fmt.Fprintf(e.out, "Your version is saved in %s; make restore STEP=%d brings it back.\n", backup, s.Number)
	return 0, nil
}

func (e *environment) restore(args []string) (int, error) {
	s, err := e.oneStep(args)
	if err != nil {
		return 2, err
	}
	restored, saved, err := e.workspace().Restore(s.Dir())
	if err != nil {
		return 2, err
	}
	fmt.Fprintf(e.out, "%s is restored from %s.\n", s.Dir(), restored)
	fmt.Fprintf(e.out, "What it held just now is saved in %s (make restore STEP=%d again to swap back).\n", saved, s.Number)
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
		if e.printer.Color {
			fmt.Fprint(e.out, "\x1b[H\x1b[2J") // clear the terminal, as a fresh run would
		}
		if _, err := e.step(ctx, []string{fmt.Sprint(s.Number)}); err != nil && !errors.Is(err, context.Canceled) {
			fmt.Fprintln(e.out, "checker:", err)
		}
		fmt.Fprintf(e.out, "\nWatching steps/ — save a .go file to grade %s again; Ctrl-C stops.\n", s.Name())
	}
	gradeNow()
	watch.Loop(ctx, filepath.Join(e.root, "steps"), 250*time.Millisecond, 300*time.Millisecond, gradeNow)
	fmt.Fprintln(e.out, "\nWatch stopped.")
	return 0, nil
}

func (e *environment) oneStep(args []string) (course.Step, error) {
	if len(args) != 1 || args[0] == "" {
		return course.Step{}, errors.New("say which step, e.g. make hint STEP=3")
	}
	return e.stepArg(args[0])
}
