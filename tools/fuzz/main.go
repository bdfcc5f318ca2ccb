// Command fuzz runs the fuzz targets of one step on the learner's code in
// steps/ (make fuzz STEP=N, TIME=30s by default): each target for TIME,
// one after another, under go's fuzzing engine. It says at once that the
// first run builds for minutes, shows the engine's progress now and then,
// and ends with one line per target in the checker's style: the number of
// executions, or the crasher that go saved and how to look at it. It exits
// with status 1 when a target found a crasher or could not run.
//
//	go run ./tools/fuzz -time 30s 4
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"time"

	"github.com/fatih/color"

	"github.com/wsfromtcp/workshop/tools/course"
)

// How often the command speaks while go is quiet or busy: while go builds
// the instrumented test binary (which prints nothing), and while it fuzzes
// (go prints progress every 3 s; one line in 10 s is enough to see it
// move).
const (
	heartbeat = 20 * time.Second
	showEvery = 10 * time.Second
)

func main() {
	fs := flag.NewFlagSet("fuzz", flag.ContinueOnError)
	d := fs.Duration("time", 30*time.Second, "how long to fuzz each target, such as 30s or 5m")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: go run ./tools/fuzz [-time 30s] STEP   (or: make fuzz STEP=N TIME=30s)")
		fs.PrintDefaults()
	}
	if err := fs.Parse(os.Args[1:]); err != nil {
		os.Exit(2)
	}
	n, err := strconv.Atoi(fs.Arg(0))
	if fs.NArg() != 1 || err != nil || *d <= 0 {
		fs.Usage()
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	code, err := run(ctx, os.Stdout, n, *d)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fuzz:", err)
	}
	os.Exit(code)
}

// run fuzzes step n's targets for d each and prints the verdicts; it
// returns the exit status.
func run(ctx context.Context, out io.Writer, n int, d time.Duration) (int, error) {
	root, err := course.Root()
	if err != nil {
		return 2, err
	}
	c := course.MustLoad()
	s, ok := c.Step(n)
	if !ok {
		return 2, fmt.Errorf("there is no step %d: the steps are 1 to %d", n, len(c.Steps))
	}
	names, err := fuzzTargets(root, s)
	if err != nil {
		return 2, err
	}
	if len(names) == 0 {
		return 2, fmt.Errorf("step %d has no fuzz target; these steps have one: %s", n, stepsWithTargets(root, c))
	}
	each := ""
	if len(names) > 1 {
		each = " each"
	}
	fmt.Fprintf(out, "Fuzzing step %d (%s) for %s%s. The first run builds the fuzzing engine's instrumented binary, "+
		"which takes a few minutes on a slow machine…\n", n, strings.Join(names, ", "), d, each)

	var verdicts []string
	var reasons []string
	code := 0
	for _, name := range names {
		t := target{name: name, step: n, dir: s.Dir()}
		o, err := fuzz(ctx, out, root, t, d)
		if err != nil {
			return 2, err
		}
		line, ok := o.verdict(t)
		switch {
		case ctx.Err() == nil:
		case ok:
			line += " (stopped by Ctrl-C)"
		case o.crasher == "":
			line = fmt.Sprintf("✗ %s: stopped by Ctrl-C after %s execs", name, thousands(o.last.execs))
		}
		verdicts = append(verdicts, line)
		reasons = append(reasons, "")
		if !ok {
			code = 1
			reasons[len(reasons)-1] = o.reason()
		}
		if ctx.Err() != nil {
			break
		}
	}
	fmt.Fprintln(out)
	for i, v := range verdicts {
		mark, rest, _ := strings.Cut(v, " ")
		paint := color.New(color.FgGreen).SprintFunc()
		if mark == "✗" {
			paint = color.New(color.FgRed).SprintFunc()
		}
		fmt.Fprintf(out, "  %s %s\n", paint(mark), rest)
		if reasons[i] != "" {
			fmt.Fprintf(out, "      %s\n", reasons[i])
		}
	}
	return code, nil
}

// fuzz runs one target for d and reads what go prints, showing its
// progress now and then.
func fuzz(ctx context.Context, out io.Writer, root string, t target, d time.Duration) (*outcome, error) {
	cmd := exec.Command("go", "test", "-run", "^$", "-fuzz", "^"+t.name+"$", "-fuzztime", d.String(), "./"+t.dir+"/")
	cmd.Dir = root
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go func() { pw.CloseWithError(cmd.Wait()) }()
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()

	o := &outcome{}
	start, built, shown := time.Now(), false, time.Time{}
	tick := time.NewTicker(heartbeat)
	defer tick.Stop()
	for {
		select {
		case line, open := <-lines:
			if !open {
				return o, nil
			}
			p, isProgress := o.feed(line)
			switch {
			case !built && strings.HasPrefix(line, "fuzz: "):
				built = true
				fmt.Fprintf(out, "  %s: built in %s; testing the seed inputs, then fuzzing\n", t.name, time.Since(start).Round(time.Second))
			case isProgress && time.Since(shown) >= showEvery:
				shown = time.Now()
				fmt.Fprintf(out, "  %s: %s, %s execs (%s/s), %d new interesting inputs\n",
					t.name, p.elapsed, thousands(p.execs), thousands(p.perSec), p.interesting)
			}
		case <-tick.C:
			if !built && ctx.Err() == nil {
				fmt.Fprintf(out, "  %s: still building the instrumented test binary (%s so far)…\n", t.name, time.Since(start).Round(time.Second))
			}
		}
	}
}
