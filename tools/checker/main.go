// Command checker grades the workshop's steps.
//
//	go run ./tools/checker step 3             grade your steps/03-handshake
//	go run ./tools/checker step 3 -solution   grade the reference solution
//	go run ./tools/checker progress           every step, the score, what next
//	go run ./tools/checker grade -json        the report GitHub Classroom reads
//	go run ./tools/checker hint|watch|solve|reset|restore 3
//	go run ./tools/checker join HOST:PORT CODE NAME | leave   the live classroom
//	go run ./tools/checker verify [N]         prove the tests bite (make test)
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
	"fmt"
	"io"
	"maps"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/wsfromtcp/workshop/tools/checker/internal/grade"
	"github.com/wsfromtcp/workshop/tools/checker/internal/layout"
	"github.com/wsfromtcp/workshop/tools/checker/internal/report"
	"github.com/wsfromtcp/workshop/tools/course"
)

const usage = `usage: checker <command>

  step N [-solution]   grade step N: your code in steps/, or the reference in solutions/
  progress             a table of every step, the score, and the next step to do
  grade [-json] [-o F] grade every step; -json writes the report GitHub Classroom reads
  hint N               show the next hint for step N
  watch N              grade step N again whenever a .go file under steps/ is saved
  solve N              back up your step N and copy the reference solution over it
  reset N              back up your step N and bring back the untouched stub
  restore N            bring back the newest backup of step N
  join HOST:PORT CODE NAME   report each grade, hint and solve to the classroom's dashboard
  leave                stop reporting to the classroom
  verify [N]           prove that every check (of step N) fails on the stub and passes on the solution
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
	l, err := layout.Find()
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
	env := &environment{layout: l, course: c, tmp: tmp, work: l.Path("bin", "_checker"), out: stdout,
		printer: report.NewPrinter(stdout, c)}

	commands := map[string]func(context.Context, []string) (int, error){
		"step": env.step, "progress": env.progress, "grade": env.grade, "hint": env.hint, "watch": env.watch,
		"solve": env.solve, "reset": env.reset, "restore": env.restore, "join": env.join, "leave": env.leave,
		"verify": env.verify, "bugs": env.bugs, "samples": env.samples, "timings": env.timings, "rules": env.rules,
		"overlay": env.overlayFile,
	}
	command, ok := commands[args[0]]
	if !ok {
		fmt.Fprint(os.Stderr, usage)
		return 2, fmt.Errorf("%w %q", errUsage, args[0])
	}
	return command(ctx, args[1:])
}

type environment struct {
	layout layout.Layout
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
	opt := grade.Options{Root: e.layout.Root, Tmp: filepath.Join(e.work, "bin"), Solution: solution, Budget: grade.DefaultBudget}
	if !solution {
		opt.Overlay = e.learnerOverlay
	} else {
		if e.overlay == "" {
			path, err := e.writeSolutionOverlay(e.work)
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

func (e *environment) rules(ctx context.Context, _ []string) (int, error) {
	found, err := grade.RawTCP(ctx, e.layout, "./"+string(layout.Steps)+"/...", "./"+string(layout.Solutions)+"/...")
	if err != nil {
		return 2, err
	}
	e.printer.Rules(found)
	if len(found) > 0 {
		return 1, nil
	}
	return 0, nil
}

// overlayFile writes the overlay to the file args names, with the
// rewritten test files in a folder beside it, for running
// `go test -overlay FILE ./solutions/...`: every step's tests, and the
// checks a step borrows from an earlier one (steps.json alsoPasses), on
// the reference solutions.
func (e *environment) overlayFile(_ context.Context, args []string) (int, error) {
	if len(args) != 1 {
		return 2, errUsage
	}
	dst, err := filepath.Abs(args[0])
	if err != nil {
		return 2, err
	}
	dir := strings.TrimSuffix(dst, filepath.Ext(dst)) + ".files"
	if err := os.RemoveAll(dir); err != nil {
		return 2, err
	}
	path, err := e.writeSolutionOverlay(dir)
	if err != nil {
		return 2, err
	}
	return 0, os.Rename(path, dst)
}

// writeSolutionOverlay writes the overlay that runs the step tests on
// solutions/ (see layout.SolutionTests), and each step's borrowed checks
// (grade.Reruns), to dir/overlay.json, with its copies under dir, and
// returns its path.
func (e *environment) writeSolutionOverlay(dir string) (string, error) {
	o, err := e.layout.SolutionTests(dir, e.slugs())
	if err != nil {
		return "", err
	}
	for _, s := range e.course.Steps {
		add, err := grade.Reruns(e.layout, dir, layout.Solutions, s)
		if err != nil {
			return "", err
		}
		maps.Copy(o, add)
	}
	path := filepath.Join(dir, "overlay.json")
	return path, o.Write(path)
}

func (e *environment) slugs() []string {
	slugs := make([]string, len(e.course.Steps))
	for i, s := range e.course.Steps {
		slugs[i] = s.Slug
	}
	return slugs
}
