package gotest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Binary is a compiled test binary for one package.
type Binary struct {
	Path       string // the executable
	Dir        string // the package folder, where the tests run
	ImportPath string
}

// Build compiles the test binary of the package in dir (relative to the
// module root root) into tmp, like `go test -c -json`. With overlay set, it
// is passed to -overlay. When the package does not compile it returns the
// build events and a nil Binary.
func Build(ctx context.Context, root, dir, overlay, tmp string) (*Binary, []Event, error) {
	out := filepath.Join(tmp, strings.ReplaceAll(dir, "/", "_")+".test")
	if !filepath.IsAbs(out) {
		out = filepath.Join(root, out) // the go command runs in root; the binary runs elsewhere
	}
	args := []string{"test", "-c", "-json", "-o", out}
	if overlay != "" {
		args = append(args, "-overlay", overlay)
	}
	args = append(args, "./"+dir)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = root
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	events, err := Decode(&stdout)
	if err != nil {
		return nil, nil, fmt.Errorf("gotest: reading build events: %w", err)
	}
	for _, line := range strings.SplitAfter(stderr.String(), "\n") {
		if line != "" {
			events = append(events, Event{Action: BuildOutput, Output: line})
		}
	}
	if runErr != nil {
		if ctx.Err() != nil {
			return nil, events, fmt.Errorf("gotest: building %s took too long: %w", dir, ctx.Err())
		}
		return nil, events, nil
	}
	bin := &Binary{Path: out, Dir: filepath.Join(root, dir), ImportPath: importPath(events)}
	if _, err := os.Stat(out); errors.Is(err, os.ErrNotExist) {
		bin.Path = "" // go test -c writes nothing for a package without tests
	}
	return bin, events, nil
}

func importPath(events []Event) string {
	for _, e := range events {
		if e.ImportPath != "" {
			p, _, _ := strings.Cut(e.ImportPath, " ")
			return p
		}
	}
	return ""
}

// List returns the names of the tests, examples and fuzz targets in the
// binary, in source order. Benchmarks are left out: they measure, they do
// not grade.
func (b *Binary) List(ctx context.Context) ([]string, error) {
	if b.Path == "" {
		return nil, nil
	}
	cmd := exec.CommandContext(ctx, b.Path, "-test.list", ".")
	cmd.Dir = b.Dir
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("gotest: listing tests: %w", err)
	}
	var names []string
	for _, name := range strings.Fields(string(out)) {
		if !strings.HasPrefix(name, "Benchmark") {
			names = append(names, name)
		}
	}
	return names, nil
}

// RunOptions bound one run of a test binary.
type RunOptions struct {
	// Stall is how long one top-level test may run. A test still running
	// after that is stopped with SIGQUIT, which makes the Go runtime print
	// every goroutine's stack: the dump shows where the code loops or
	// waits. It only bounds a hang; no verdict is a measure of speed.
	Stall time.Duration
	// Deadline stops the whole run the same way, whatever test is running.
	Deadline time.Time
	// MaxOutput is how many bytes of output are kept for each test (and
	// for the package's own output): the first quarter and the last three
	// quarters, with an output event saying how much was cut between.
	// Zero means DefaultMaxOutput.
	MaxOutput int
	Env       []string // added to the environment
}

// DefaultMaxOutput keeps a test's teaching messages, which come first, and
// a panic's goroutine dump, which comes last, while a test that prints
// without end cannot fill the checker's memory.
const DefaultMaxOutput = 64 << 10

// Outcome is what one run of a test binary reported.
type Outcome struct {
	Events  []Event
	Stopped string // the top-level test that was running when the run was stopped for a stall or the deadline, if any
	Exit    error  // how the test process ended: nil, or an *exec.ExitError
}

// Run runs the named top-level tests, in order, in one process, and returns
// their events as `go test -json` would print them. The binary runs with
// -test.paniconexit0, so that os.Exit(0) inside a test fails it instead of
// ending the program in a way that looks like success, and its output goes
// through test2json as it arrives, so that a stalled test is noticed while
// it stalls.
func (b *Binary) Run(ctx context.Context, names []string, opt RunOptions) (Outcome, error) {
	var run Outcome
	t2j, err := test2json(ctx)
	if err != nil {
		return run, err
	}
	if opt.MaxOutput == 0 {
		opt.MaxOutput = DefaultMaxOutput
	}
	// The binary's own -test.timeout is only a backstop: the watchdog below
	// stops a stalled test first, and names it.
	backstop := 10 * time.Minute
	if !opt.Deadline.IsZero() {
		backstop = time.Until(opt.Deadline) + 10*time.Second
	}
	test := exec.Command(b.Path,
		"-test.v=test2json",
		"-test.paniconexit0",
		"-test.timeout="+backstop.Round(time.Second).String(),
		"-test.count=1",
		"-test.run="+RunPattern(names),
	)
	test.Dir = b.Dir
	test.Env = append(os.Environ(), opt.Env...)
	conv := exec.CommandContext(ctx, t2j, "-t", "-p", b.ImportPath)
	pr, pw, err := os.Pipe()
	if err != nil {
		return run, err
	}
	test.Stdout, test.Stderr = pw, pw
	conv.Stdin = pr
	out, err := conv.StdoutPipe()
	if err != nil {
		pr.Close()
		pw.Close()
		return run, err
	}
	if err := conv.Start(); err != nil {
		pr.Close()
		pw.Close()
		return run, fmt.Errorf("gotest: starting test2json: %w", err)
	}
	pr.Close() // test2json holds its own copy
	if err := test.Start(); err != nil {
		pw.Close()
		_ = conv.Wait()
		return run, fmt.Errorf("gotest: starting %s: %w", b.ImportPath, err)
	}
	pw.Close() // the test process holds its own copy; EOF comes when it exits

	w := newWatchdog(test.Process, opt)
	defer w.stop()
	stopKill := context.AfterFunc(ctx, func() { _ = test.Process.Kill() })
	defer stopKill()
	run.Events, err = decodeCapped(out, opt.MaxOutput, w.observe)
	run.Exit = test.Wait()
	convErr := conv.Wait()
	run.Stopped = w.stopped()
	if err != nil {
		return run, fmt.Errorf("gotest: reading test events: %w", err)
	}
	if convErr != nil && ctx.Err() == nil {
		return run, fmt.Errorf("gotest: test2json: %w", convErr)
	}
	return run, nil
}

// quitWait is how long a process stopped with SIGQUIT has to print its
// goroutine dump and end.
const quitWait = 10 * time.Second

// watchdog stops the test process with SIGQUIT when a top-level test has
// run for longer than opt.Stall, or when opt.Deadline has passed.
type watchdog struct {
	mu      sync.Mutex
	running string    // the top-level test now running
	since   time.Time // when it started
	quit    string    // the test that was running when the process was stopped
	done    chan struct{}
}

func newWatchdog(p *os.Process, opt RunOptions) *watchdog {
	w := &watchdog{done: make(chan struct{}), since: time.Now()}
	go func() {
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-w.done:
				return
			case now := <-tick.C:
				w.mu.Lock()
				late := (opt.Stall > 0 && w.running != "" && now.Sub(w.since) > opt.Stall) ||
					(!opt.Deadline.IsZero() && now.After(opt.Deadline))
				if late {
					w.quit = w.running
				}
				w.mu.Unlock()
				if late {
					_ = p.Signal(syscall.SIGQUIT)
					// The process ends as soon as it has printed every
					// goroutine's stack; on a busy machine that can take
					// seconds, and a dump cut short names nobody. One that
					// ignores SIGQUIT is killed after quitWait.
					select {
					case <-w.done:
					case <-time.After(quitWait):
						_ = p.Kill()
					}
					return
				}
			}
		}
	}()
	return w
}

// observe follows the top-level tests as their events arrive.
func (w *watchdog) observe(e Event) {
	if e.Test == "" || e.Test != e.TopLevel() {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	switch {
	case e.Action == Run:
		w.running, w.since = e.Test, time.Now()
	case e.Terminal() && e.Test == w.running:
		w.running = ""
	}
}

func (w *watchdog) stopped() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.quit
}

func (w *watchdog) stop() {
	select {
	case <-w.done:
	default:
		close(w.done)
	}
}

// RunPattern is the -test.run pattern that selects exactly the named
// top-level tests, with all their subtests.
func RunPattern(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = regexp.QuoteMeta(n)
	}
	return "^(" + strings.Join(quoted, "|") + ")$"
}

var (
	test2jsonOnce sync.Once
	test2jsonPath string
	test2jsonErr  error
)

// FindTest2JSON starts looking for the test2json tool in the background, so
// that the lookup (a go command of its own) overlaps the build instead of
// following it; Run then finds the answer ready.
func FindTest2JSON(ctx context.Context) {
	go func() { _, _ = test2json(ctx) }()
}

// test2json finds the go command's test2json tool once: `go tool -n` prints
// its path, so that each run starts the tool directly instead of paying for
// a go command every time.
func test2json(ctx context.Context) (string, error) {
	test2jsonOnce.Do(func() {
		out, err := exec.CommandContext(ctx, "go", "tool", "-n", "test2json").Output()
		if err != nil {
			test2jsonErr = fmt.Errorf("gotest: finding test2json: %w", err)
			return
		}
		test2jsonPath = strings.TrimSpace(string(out))
	})
	return test2jsonPath, test2jsonErr
}

// SolutionOverlay returns the `go build -overlay` replacements that place
// every test file of each step folder into the matching solution folder, so
// that the tests written once next to the learner's stub also run against
// the reference solution. A test may import an earlier step's package
// (step 5's tests use step 4's frame.Header); in the copy, such imports
// point at solutions/, so that a solution is never graded with a learner's
// code. Line numbers stay the same. The copies are written under tmp.
func SolutionOverlay(root, tmp, module string, slugs []string) (map[string]string, error) {
	replace := map[string]string{}
	stepsImport := []byte(`"` + module + "/steps/")
	solutionsImport := []byte(`"` + module + "/solutions/")
	for _, slug := range slugs {
		tests, err := filepath.Glob(filepath.Join(root, "steps", slug, "*_test.go"))
		if err != nil {
			return nil, err
		}
		for _, src := range tests {
			data, err := os.ReadFile(src)
			if err != nil {
				return nil, err
			}
			copyPath := filepath.Join(tmp, "overlay", slug, filepath.Base(src))
			if err := os.MkdirAll(filepath.Dir(copyPath), 0o755); err != nil {
				return nil, err
			}
			data = bytes.ReplaceAll(data, stepsImport, solutionsImport)
			if err := WriteFile(copyPath, data); err != nil {
				return nil, err
			}
			replace[filepath.Join(root, "solutions", slug, filepath.Base(src))] = copyPath
		}
	}
	return replace, nil
}

// WriteOverlay writes the overlay file for replace to path.
func WriteOverlay(path string, replace map[string]string) error {
	data, err := json.Marshal(struct{ Replace map[string]string }{replace})
	if err != nil {
		return err
	}
	return WriteFile(path, data)
}

// WriteFile writes data to path unless the file holds it already, through
// a temporary file and a rename, so that a go command reading it never
// sees half a file. Overlay copies are best kept at the same paths from
// run to run: the build cache knows an overlaid file by its path, and a
// copy at a new path means compiling the package again.
func WriteFile(path string, data []byte) error {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	cerr := f.Close()
	if werr != nil || cerr != nil {
		os.Remove(f.Name())
		return errors.Join(werr, cerr)
	}
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		os.Remove(f.Name())
		return err
	}
	return os.Rename(f.Name(), path)
}

// Overlay writes the SolutionOverlay to tmp/overlay.json and returns its path.
func Overlay(root, tmp, module string, slugs []string) (string, error) {
	replace, err := SolutionOverlay(root, tmp, module, slugs)
	if err != nil {
		return "", err
	}
	path := filepath.Join(tmp, "overlay.json")
	return path, WriteOverlay(path, replace)
}
