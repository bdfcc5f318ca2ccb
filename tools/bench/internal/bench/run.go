package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
)

// Rounds is how many times each cell is measured on each server: the
// servers take turns, a round each, so that a machine shared with others
// slows them alike, and each keeps its best round's msg/s (others' load
// only ever slows a round down). Allocations are counted over all rounds.
const Rounds = 3

// Measure measures every cell on every server cfg picks, then the masking
// table, writing its progress to progress. The servers run side by side,
// each as its own process, and are driven one at a time: cell by cell,
// round by round (Rounds), each round cfg.Time/Rounds after
// cfg.Warmup/Rounds of warm-up. Every program it starts is gone when it
// returns, even when ctx is cancelled (Ctrl-C): then it returns what it
// measured so far with ctx's error.
func Measure(ctx context.Context, cfg Config, progress io.Writer) (Result, error) {
	if err := cfg.Check(); err != nil {
		return Result{}, err
	}
	dir, err := os.MkdirTemp("", "bench-")
	if err != nil {
		return Result{}, err
	}
	defer os.RemoveAll(dir)
	res := Result{Time: cfg.Time, Warmup: cfg.Warmup}
	for _, n := range cfg.Conns {
		for _, size := range cfg.Sizes {
			res.Cells = append(res.Cells, Cell{Conns: n, Size: size})
		}
	}
	var targets []*target
	defer func() {
		for _, t := range targets {
			t.stop()
		}
	}()
	for _, s := range cfg.Pick(Servers) {
		res.Servers = append(res.Servers, s.Name)
		t := &target{s: s, runs: make([]Run, len(res.Cells))}
		t.start(ctx, cfg.Root, dir, progress)
		targets = append(targets, t)
	}
	for i, c := range res.Cells {
		for range Rounds {
			for _, t := range targets {
				t.round(ctx, cfg, i, c, progress)
			}
		}
		for _, t := range targets {
			if r := t.runs[i]; r.OK() {
				fmt.Fprintf(progress, "%s: %s: %s msg/s, %s allocs and %s a message\n",
					t.s.Name, c.Name(), rate(r.PerSec()), allocs(r.AllocsPerMsg()), bytesPer(r.BytesPerMsg()))
			}
		}
	}
	for i := range res.Cells {
		for _, t := range targets {
			res.Cells[i].Runs = append(res.Cells[i].Runs, t.final(ctx, i))
		}
	}
	if len(cfg.Masks) > 0 && ctx.Err() == nil {
		res.Masking = masking(ctx, cfg, dir, progress)
	}
	return res, ctx.Err()
}

// target is one server of the run, and its measurements so far.
type target struct {
	s    Server
	p    *proc // nil when it did not start
	url  string
	err  error // why it cannot be measured any more, if so
	runs []Run // one per cell
}

// start builds and starts the server, and learns its address.
func (t *target) start(ctx context.Context, root, dir string, progress io.Writer) {
	fmt.Fprintf(progress, "%s: building and starting %s\n", t.s.Name, t.s.Pkg)
	bin, err := build(ctx, root, dir, t.s)
	if err == nil {
		t.p, err = start(bin, append([]string{"-addr", "127.0.0.1:0", "-memstats"}, t.s.Args...)...)
	}
	if err == nil {
		t.url, err = t.p.address(ctx)
	}
	t.fail(err, progress)
}

// fail notes that the server cannot be measured any more, for err,
// unless err is an interruption of the whole run.
func (t *target) fail(err error, progress io.Writer) {
	if err == nil || t.err != nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return
	}
	t.err = err
	fmt.Fprintf(progress, "%s: %s: %v\n", t.s.Name, status(err.Error(), t.s.Unfinished), err)
}

// round measures one round of cell i, unless the server or the cell has
// failed already.
func (t *target) round(ctx context.Context, cfg Config, i int, c Cell, progress io.Writer) {
	if t.err != nil || t.p == nil || t.runs[i].Err != "" || ctx.Err() != nil {
		return
	}
	r, err := cell(ctx, t.url, c.Conns, c.Size, cfg.Warmup/Rounds, cfg.Time/Rounds, t.p.memStats)
	select {
	case <-t.p.done:
		t.fail(t.p.exited(), progress)
		return
	default:
	}
	switch {
	case ctx.Err() != nil:
		// interrupted: the cell's error says nothing of the server
	case errors.Is(err, errDial) && t.s.Unfinished != "":
		t.fail(err, progress) // the learner's stub: the handshake fails
	case errors.Is(err, os.ErrDeadlineExceeded):
		t.fail(fmt.Errorf("%s: the server stopped answering (%w); its other cells were skipped", c.Name(), err), progress)
	case err != nil:
		t.runs[i] = Run{Err: err.Error()}
		fmt.Fprintf(progress, "%s: %s: failed: %v\n", t.s.Name, c.Name(), err)
	default:
		t.runs[i].add(r)
	}
}

// final is the server's run of cell i: what was measured, or why nothing
// was.
func (t *target) final(ctx context.Context, i int) Run {
	r := t.runs[i]
	switch {
	case r.Err != "" || r.OK():
		return r
	case t.err != nil:
		return Run{Err: t.err.Error(), Unfinished: t.s.Unfinished}
	case ctx.Err() != nil:
		return Run{Err: NotRun}
	}
	return r
}

func (t *target) stop() {
	if t.p != nil {
		t.p.kill()
	}
}
