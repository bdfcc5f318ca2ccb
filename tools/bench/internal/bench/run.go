package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/wsfromtcp/workshop/tools/bench/internal/masks"
)

// Measure measures every cell on every server cfg picks, one server at a time,
// then the masking table, writing its progress to progress. Every program
// it starts is gone when it returns, even when ctx is cancelled (Ctrl-C):
// then it returns what it measured so far with ctx's error.
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
	for _, s := range Servers {
		if !cfg.Picks(s.Name) {
			continue
		}
		res.Servers = append(res.Servers, s.Name)
		runs := notRun(len(res.Cells), 0, nil)
		if ctx.Err() == nil {
			runs = measureServer(ctx, cfg, dir, s, res.Cells, progress)
		}
		for i := range res.Cells {
			res.Cells[i].Runs = append(res.Cells[i].Runs, runs[i])
		}
	}
	if len(cfg.Masks) > 0 && ctx.Err() == nil {
		res.Masking = masking(ctx, cfg, dir, progress)
	}
	return res, ctx.Err()
}

// measureServer runs every cell on server s, started once for them all.
func measureServer(ctx context.Context, cfg Config, dir string, s Server, cells []Cell, progress io.Writer) []Run {
	runs := make([]Run, len(cells))
	fail := func(from int, err error) []Run {
		fmt.Fprintf(progress, "%s: %s\n", s.Name, status(err.Error(), s.Unfinished))
		for i := from; i < len(runs); i++ {
			runs[i] = Run{Err: err.Error(), Unfinished: s.Unfinished}
		}
		return runs
	}
	fmt.Fprintf(progress, "%s: building %s\n", s.Name, s.Pkg)
	bin, err := build(ctx, cfg.Root, dir, s)
	if err != nil {
		return fail(0, err)
	}
	p, err := start(bin, append([]string{"-addr", "127.0.0.1:0", "-memstats"}, s.Args...)...)
	if err != nil {
		return fail(0, err)
	}
	defer p.kill()
	url, err := p.address(ctx)
	if err != nil {
		return fail(0, err)
	}
	for i, c := range cells {
		r, err := cell(ctx, url, c.Conns, c.Size, cfg.Warmup, cfg.Time, p.memStats)
		if ctx.Err() != nil {
			return notRun(len(cells), i, runs) // interrupted: the cell's error says nothing of the server
		}
		select {
		case <-p.done:
			return fail(i, p.exited())
		default:
		}
		switch {
		case errors.Is(err, errDial) && i == 0 && s.Unfinished != "":
			return fail(0, err) // the learner's stub: the handshake fails
		case errors.Is(err, os.ErrDeadlineExceeded):
			return fail(i, fmt.Errorf("%s: the server stopped answering (%w); its other cells were skipped", c.Name(), err))
		case err != nil:
			r = Run{Err: err.Error()}
			fmt.Fprintf(progress, "%s: %s: failed: %v\n", s.Name, c.Name(), err)
		default:
			fmt.Fprintf(progress, "%s: %s: %s msg/s, %s allocs and %s a message\n",
				s.Name, c.Name(), rate(r.PerSec()), allocs(r.AllocsPerMsg()), bytesPer(r.BytesPerMsg()))
		}
		runs[i] = r
	}
	return runs
}

// notRun fills runs from from on with runs that were not made, the run
// having been interrupted or out of time.
func notRun(cells, from int, runs []Run) []Run {
	if runs == nil {
		runs = make([]Run, cells)
	}
	for i := from; i < cells; i++ {
		runs[i] = Run{Err: NotRun}
	}
	return runs
}

// masking runs each masking command cfg picks, one after the other.
func masking(ctx context.Context, cfg Config, dir string, progress io.Writer) Masking {
	var m Masking
	for _, size := range cfg.Masks {
		m.Rows = append(m.Rows, MaskRow{Size: size})
	}
	sizes := make([]string, len(cfg.Masks))
	for i, s := range cfg.Masks {
		sizes[i] = strconv.Itoa(s)
	}
	for _, s := range Masks {
		if !cfg.Picks(s.Name) {
			continue
		}
		m.Impls = append(m.Impls, s.Name)
		fmt.Fprintf(progress, "masking: %s\n", s.Name)
		ns, err := timeMasking(ctx, cfg.Root, dir, s, strings.Join(sizes, ","), cfg.Time/2)
		for i := range m.Rows {
			r := MaskRun{NsPerOp: ns[m.Rows[i].Size]}
			if err != nil {
				r = MaskRun{Err: err.Error(), Unfinished: s.Unfinished}
			}
			m.Rows[i].Runs = append(m.Rows[i].Runs, r)
		}
	}
	return m
}

// timeMasking builds and runs masking command s, and returns its time per
// masking for each size.
func timeMasking(ctx context.Context, root, dir string, s Server, sizes string, d time.Duration) (map[int]float64, error) {
	bin, err := build(ctx, root, dir, s)
	if err != nil {
		return nil, err
	}
	p, err := start(bin, "-sizes", sizes, "-time", d.String())
	if err != nil {
		return nil, err
	}
	defer p.kill()
	ns := map[int]float64{}
	for n := strings.Count(sizes, ",") + 1; len(ns) < n; {
		l, err := p.line(ctx, startPatience+2*d)
		if err != nil {
			return nil, err
		}
		var size int
		var t float64
		if _, err := fmt.Sscanf(l+"\n", masks.LineFormat, &size, &t); err != nil {
			return nil, fmt.Errorf("%s said %q, not %q", s.Name, l, masks.LineFormat)
		}
		ns[size] = t
	}
	return ns, nil
}
