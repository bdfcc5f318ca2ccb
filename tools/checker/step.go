package main

import (
	"context"
	"flag"
	"fmt"
	"path"
	"slices"
	"sync"
	"time"

	"github.com/wsfromtcp/workshop/tools/checker/internal/grade"
	"github.com/wsfromtcp/workshop/tools/checker/internal/layout"
	"github.com/wsfromtcp/workshop/tools/checker/internal/tamper"
	"github.com/wsfromtcp/workshop/tools/course"
	"github.com/wsfromtcp/workshop/tools/wstest"
)

// dependencyBudget bounds the time spent grading the earlier steps that a
// failing step uses, all together; explainBudget bounds that and the
// search for the earlier step that makes a check fail (blame.go). With the
// step's own grade (16 s at most, see grade.DefaultBudget) and compiling,
// a failing grade stays under 30 s on a loaded machine.
var (
	dependencyBudget = time.Duration(float64(6*time.Second) * wstest.PatienceFactor())
	explainBudget    = time.Duration(float64(16*time.Second) * wstest.PatienceFactor())
)

func (e *environment) step(ctx context.Context, args []string) (int, error) {
	fs := flag.NewFlagSet("step", flag.ContinueOnError)
	solution := fs.Bool("solution", false, "grade the reference solution instead of your code")
	var positional []string
	for len(args) > 0 { // allow the flag before or after the number
		if err := fs.Parse(args); err != nil {
			return 2, err
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(positional) != 1 {
		return 2, fmt.Errorf("say which step to grade, e.g. 'step 3'")
	}
	s, err := e.stepArg(positional[0])
	if err != nil {
		return 2, err
	}
	opt, err := e.options(*solution)
	if err != nil {
		return 2, err
	}
	live := e.startLive(*solution) // the classroom's dial overlaps grading
	tree := layout.Steps
	if *solution {
		tree = layout.Solutions
	}
	// The raw-TCP rule needs only go list: check it while the tests run.
	var rules []string
	var rulesErr error
	rulesDone := make(chan struct{})
	go func() {
		defer close(rulesDone)
		rules, rulesErr = grade.RawTCP(ctx, e.layout, "./"+layout.Dir(tree, s.Slug))
	}()
	res, err := grade.Step(ctx, s, opt)
	<-rulesDone
	if err == nil && !*solution {
		e.tamperCheck(s, &res)
	}
	if err != nil {
		return 2, err
	}
	if rulesErr != nil {
		return 2, rulesErr
	}
	res.Rules = rules
	if !res.Done() && !*solution {
		e.explain(ctx, s, &res, opt)
	}
	e.printer.Step(res)
	live.graded(s, res)
	if !res.Done() {
		return 1, nil
	}
	return 0, nil
}

// tamperCheck compares the step's test files with the course's list
// (tools/course/checks.json): a changed, deleted or added test file makes
// the grade untrustworthy, and the learner is told which file and how to
// get it back. The files of an earlier step whose checks this step borrows
// (steps.json alsoPasses) count too. A checkout without the list grades as
// before.
func (e *environment) tamperCheck(s course.Step, res *grade.Result) {
	m, err := tamper.Load(e.layout.Root)
	if err != nil {
		grade.Trace("tamper check left out: %v", err)
		return
	}
	rep, err := tamper.CheckAgainst(m, e.layout.Root, s.Slug)
	if err != nil {
		grade.Trace("tamper check left out: %v", err)
		return
	}
	findings := rep.Findings
	if r := s.AlsoPasses; r != nil {
		from, err := tamper.CheckAgainst(m, e.layout.Root, r.Slug)
		if err != nil {
			grade.Trace("tamper check of the borrowed checks left out: %v", err)
		}
		for _, f := range from.Findings {
			if slices.Contains(r.Files, path.Base(f.Path)) {
				findings = append(findings, f)
			}
		}
	}
	for _, f := range findings {
		res.Tampered = append(res.Tampered, f.Message)
	}
	if want, ok := m.StepChecks(s); ok {
		res.MissingChecks(want)
	}
}

// explain looks for the cause of a failing step in the learner's earlier
// steps: which of them do not pass their own checks, and which of them make
// a failing check fail (see blame).
func (e *environment) explain(ctx context.Context, s course.Step, res *grade.Result, opt grade.Options) {
	// The explanation is a courtesy: it gets a budget of its own, and
	// whatever has not finished by then is left out, never guessed.
	ctx, cancel := context.WithTimeout(ctx, explainBudget)
	defer cancel()
	// Earlier steps are graded side by side: each is mostly waiting for
	// the compiler and the linker. A check that runs out of time there is
	// not judged.
	depOpt := opt
	depOpt.Budget = grade.Budget{Total: dependencyBudget, PerTest: grade.DefaultBudget.PerTest, Parallel: max(1, opt.Budget.Parallel/2)}
	deps := make([]grade.Dependency, len(s.Needs))
	errs := make([]error, len(s.Needs))
	var wg sync.WaitGroup
	for i, n := range s.Needs {
		dep, _ := e.course.Step(n)
		wg.Go(func() { deps[i], errs[i] = e.dependency(ctx, dep, depOpt) })
	}
	// Blame needs the earlier steps' grades only at its end: it starts
	// building at once.
	var blames []grade.Blame
	var blameErr error
	blameDone := make(chan struct{})
	go func() {
		defer close(blameDone)
		blames, blameErr = e.blame(ctx, s, *res, func() []grade.Dependency { wg.Wait(); return deps })
	}()
	wg.Wait()
	<-blameDone
	for i, d := range deps {
		if errs[i] == nil && !d.Done() {
			res.Unfinished = append(res.Unfinished, d)
		}
	}
	if blameErr != nil || ctx.Err() != nil {
		grade.Trace("blame left out: %v %v", blameErr, ctx.Err())
		return
	}
	res.Blames, res.Blamed = blames, true
}

// dependency grades an earlier step quietly, to tell whether a failure may
// come from there.
func (e *environment) dependency(ctx context.Context, s course.Step, opt grade.Options) (grade.Dependency, error) {
	key, err := e.key(s)
	if err != nil {
		return grade.Dependency{}, err
	}
	if d, ok := e.cache().get(key); ok {
		d.Step = s
		return d, nil
	}
	r, err := grade.Step(ctx, s, opt)
	if err != nil {
		return grade.Dependency{}, err
	}
	d := grade.Dependency{Step: s, Passed: r.Passed(), Total: len(r.Checks), Builds: r.Compiles()}
	for _, c := range r.Checks {
		if c.Status == grade.Hung || c.Status == grade.NotRun {
			d.NotJudged++
		}
	}
	e.cache().put(key, d)
	return d, nil
}
