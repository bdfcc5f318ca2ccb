package gotest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"time"
)

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
