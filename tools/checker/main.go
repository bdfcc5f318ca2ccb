// Command checker grades the workshop's steps.
//
//	go run ./tools/checker step 3             grade your steps/03-handshake
//	go run ./tools/checker step 3 -solution   grade the reference solution
//	go run ./tools/checker progress           every step, the score, what next
//	go run ./tools/checker grade -json        the report GitHub Classroom reads
//	go run ./tools/checker hint|watch|solve|reset|restore 3
//	go run ./tools/checker verify             prove the tests bite (make test)
//	go run ./tools/checker bugs [N]           prove the bug catalogue is caught (make bugs)
//	go run ./tools/checker rules              check the raw-TCP rule
//	go run ./tools/checker overlay FILE       write the overlay that runs step tests on solutions/
//
// It exits 0 when what it graded passes, 1 when it does not, and 2 when it
// could not grade at all.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/fatih/color"

	"github.com/wsfromtcp/workshop/tools/checker/internal/gotest"
	"github.com/wsfromtcp/workshop/tools/checker/internal/grade"
	"github.com/wsfromtcp/workshop/tools/checker/internal/report"
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

// modulePath is this repository's module, whose steps/ imports the overlay
// rewrites to solutions/.
const modulePath = "github.com/wsfromtcp/workshop"

const usage = `usage: checker <command>

  step N [-solution]   grade step N: your code in steps/, or the reference in solutions/
  progress             a table of every step, the score, and the next step to do
  grade [-json] [-o F] grade every step; -json writes the report GitHub Classroom reads
  hint N               show the next hint for step N
  watch N              grade step N again whenever a .go file under steps/ is saved
  solve N              back up your step N and copy the reference solution over it
  reset N              back up your step N and bring back the untouched stub
  restore N            bring back the newest backup of step N
  verify               prove that every check fails on the stubs and passes on the solutions
  bugs [N]             prove that every catalogued learner bug (of step N) fails its own step
  samples [-check]     rewrite (or check) the README's sample runs from real runs
  timings              measure how long grading each step takes, passing and failing
  rules                check that nothing under steps/ or solutions/ uses net/http or a WebSocket library
  overlay FILE         write the go -overlay file that runs the step tests on solutions/
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	code, err := run(ctx, os.Args[1:], os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "checker:", err)
	}
	os.Exit(code)
}

// errUsage makes run print the usage text.
var errUsage = errors.New("unknown command")

func run(ctx context.Context, args []string, stdout io.Writer) (int, error) {
	if len(args) == 0 {
		fmt.Fprint(os.Stderr, usage)
		return 2, nil
	}
	root, err := course.Root()
	if err != nil {
		return 2, err
	}
	c, err := course.Load()
	if err != nil {
		return 2, err
	}
	tmp, err := os.MkdirTemp("", "checker-")
	if err != nil {
		return 2, err
	}
	defer os.RemoveAll(tmp)
	env := &environment{root: root, course: c, tmp: tmp, work: filepath.Join(root, "bin", "_checker"), out: stdout,
		printer: report.Printer{W: stdout, Color: !color.NoColor, Course: c}}

	switch args[0] {
	case "step":
		return env.step(ctx, args[1:])
	case "verify":
		return env.verify(ctx)
	case "rules":
		return env.rules(ctx)
	case "bugs":
		return env.bugs(ctx, args[1:])
	case "timings":
		return env.timings(ctx)
	case "samples":
		return env.samples(ctx, args[1:])
	case "progress":
		return env.progress(ctx)
	case "grade":
		return env.grade(ctx, args[1:])
	case "hint":
		return env.hint(args[1:])
	case "solve":
		return env.solve(args[1:])
	case "reset":
		return env.reset(args[1:])
	case "restore":
		return env.restore(args[1:])
	case "watch":
		return env.watch(ctx, args[1:])
	case "overlay":
		if len(args) != 2 {
			return 2, errUsage
		}
		return env.overlayFile(args[1])
	default:
		fmt.Fprint(os.Stderr, usage)
		return 2, fmt.Errorf("%w %q", errUsage, args[0])
	}
}

type environment struct {
	root   string
	course course.Course
	tmp    string // this run's own
	// work holds overlay copies and test binaries, at the same paths from
	// run to run: the build cache knows an overlaid file by its path, and
	// the go command does not link again a test binary that is up to date
	// where -o puts it. bin/ is not the learner's, and the go command
	// skips folders whose names start with _.
	work    string
	out     io.Writer
	printer report.Printer
	overlay string // written on first use
	// learnerOverlay, when set, is an overlay for grading steps/: the
	// README's samples put code in place of the learner's through it.
	learnerOverlay string

	cacheOnce sync.Once
	verdicts  *verdictCache
}

func (e *environment) options(solution bool) (grade.Options, error) {
	opt := grade.Options{Root: e.root, Tmp: filepath.Join(e.work, "bin"), Solution: solution, Budget: grade.DefaultBudget}
	if !solution {
		opt.Overlay = e.learnerOverlay
	} else {
		if e.overlay == "" {
			path, err := gotest.Overlay(e.root, e.work, modulePath, e.slugs())
			if err != nil {
				return opt, err
			}
			e.overlay = path
		}
		opt.Overlay = e.overlay
	}
	return opt, nil
}

func (e *environment) stepArg(arg string) (course.Step, error) {
	n, err := strconv.Atoi(strings.TrimPrefix(strings.ToLower(arg), "step"))
	if err != nil {
		return course.Step{}, fmt.Errorf("%q is not a step number", arg)
	}
	s, ok := e.course.Step(n)
	if !ok {
		var have []string
		for _, s := range e.course.Steps {
			have = append(have, strconv.Itoa(s.Number))
		}
		return course.Step{}, fmt.Errorf("there is no step %d yet; the steps are %s", n, strings.Join(have, ", "))
	}
	return s, nil
}

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
	dir := s.Dir()
	if *solution {
		dir = s.SolutionDir()
	}
	// The raw-TCP rule needs only go list: check it while the tests run.
	var rules []string
	var rulesErr error
	rulesDone := make(chan struct{})
	go func() {
		defer close(rulesDone)
		rules, rulesErr = grade.RawTCP(ctx, e.root, "./"+dir)
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
	if !res.Done() {
		return 1, nil
	}
	return 0, nil
}

// tamperCheck compares the step's test files with the course's list
// (tools/course/checks.json): a changed, deleted or added test file makes
// the grade untrustworthy, and the learner is told which file and how to
// get it back. A checkout without the list grades as before.
func (e *environment) tamperCheck(s course.Step, res *grade.Result) {
	rep, err := tamper.Check(e.root, s.Slug)
	if err != nil {
		grade.Trace("tamper check left out: %v", err)
		return
	}
	for _, f := range rep.Findings {
		res.Tampered = append(res.Tampered, f.Message)
	}
	if m, err := tamper.Load(e.root); err == nil {
		if want, ok := m.Checks(s.Slug); ok {
			res.MissingChecks(want)
		}
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

func (e *environment) rules(ctx context.Context) (int, error) {
	found, err := grade.RawTCP(ctx, e.root, "./steps/...", "./solutions/...")
	if err != nil {
		return 2, err
	}
	if len(found) == 0 {
		fmt.Fprintln(e.out, "Raw-TCP rule: no package under steps/ or solutions/ depends on net/http or a WebSocket library.")
		return 0, nil
	}
	fmt.Fprintln(e.out, "Raw-TCP rule broken:")
	for _, f := range found {
		fmt.Fprintln(e.out, "  "+f)
	}
	return 1, nil
}

// overlayFile writes the overlay to dst, with the rewritten test files in
// a folder beside it, for running `go test -overlay dst ./solutions/...`.
func (e *environment) overlayFile(dst string) (int, error) {
	dst, err := filepath.Abs(dst)
	if err != nil {
		return 2, err
	}
	dir := strings.TrimSuffix(dst, filepath.Ext(dst)) + ".files"
	if err := os.RemoveAll(dir); err != nil {
		return 2, err
	}
	path, err := gotest.Overlay(e.root, dir, modulePath, e.slugs())
	if err != nil {
		return 2, err
	}
	return 0, os.Rename(path, dst)
}

func (e *environment) slugs() []string {
	slugs := make([]string, len(e.course.Steps))
	for i, s := range e.course.Steps {
		slugs[i] = s.Slug
	}
	return slugs
}
