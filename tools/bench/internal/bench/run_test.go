//go:build linux

package bench

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/wsfromtcp/workshop/tools/course"
)

// stub is an unfinished learner's server: it panics at the start.
var stub = Server{Name: "stub", Pkg: "./tools/bench/internal/bench/testdata/stub", Unfinished: "make step8"}

// short is a run of one cell on the reference, gorilla's echo and the
// stub, with gorilla's masking (the hardest to time), kept short. Every
// child's process id goes to pids.
func short(t *testing.T, pids *[]int) Config {
	t.Helper()
	root, err := course.Root()
	if err != nil {
		t.Fatal(err)
	}
	servers, masks := Servers, Masks
	Servers = append([]Server{stub}, Servers...)
	for _, m := range masks {
		if m.Name == Baseline {
			Masks = []Server{m}
		}
	}
	var mu sync.Mutex
	started = func(pid int) { mu.Lock(); *pids = append(*pids, pid); mu.Unlock() }
	t.Cleanup(func() { Servers, Masks, started = servers, masks, nil })
	return Config{Root: root, Time: 150 * time.Millisecond, Warmup: 30 * time.Millisecond,
		Conns: []int{1}, Sizes: []int{1 << 10}, Masks: []int{64 << 10},
		Servers: []string{"stub", "reference", Baseline}}
}

// gone fails the test for each process still there (kill -0 says ESRCH
// for a process that is gone: these real runs are for Linux, where make
// bench kills process groups).
func gone(t *testing.T, pids []int) {
	t.Helper()
	for _, pid := range pids {
		if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
			t.Errorf("process %d is still there after Measure returned (kill -0: %v)", pid, err)
		}
	}
}

func TestMeasureReadsMsgPerSecondAndAllocationsOfEachServer(t *testing.T) {
	var pids []int
	cfg := short(t, &pids)
	var progress bytes.Buffer
	res, err := Measure(context.Background(), cfg, &progress)
	if err != nil {
		t.Fatalf("Measure: %v\n%s", err, progress.String())
	}
	gone(t, pids)
	if len(res.Servers) != 3 || len(res.Cells) != 1 {
		t.Fatalf("servers %v, %d cells: want stub, reference, gorilla and 1 cell", res.Servers, len(res.Cells))
	}
	runs := res.Cells[0].Runs
	if runs[0].Unfinished != "make step8" || runs[0].OK() {
		t.Errorf("the stub's run %+v: want not finished, make step8", runs[0])
	}
	for i, r := range runs[1:] {
		if !r.OK() || r.PerSec() <= 0 {
			t.Errorf("%s: %+v, want round trips measured", res.Servers[i+1], r)
		}
	}
	// gorilla's ReadMessage allocates every message it reads: counters
	// that did not move were not read.
	if g := runs[2]; g.Mallocs == 0 || g.Bytes < uint64(g.Echoed)<<10 || g.Echoed < g.Messages {
		t.Errorf("gorilla's allocations %d (%d bytes) for %d messages of 1 KiB (%d in the best round): want at least one and 1 KiB a message",
			g.Mallocs, g.Bytes, g.Echoed, g.Messages)
	}
	// Every echo costs its server CPU time, and Linux says how much.
	for i, r := range runs[1:] {
		if d, ok := r.CPUPerMsg(); !ok || d <= 0 {
			t.Errorf("%s: CPU %v for %d messages: want the server's CPU time per message", res.Servers[i+1], r.CPU, r.Echoed)
		}
	}
	m := res.Masking
	if len(m.Rows) != 1 || len(m.Impls) != 1 {
		t.Fatalf("masking %+v: want gorilla's at 64 KiB", m)
	}
	for i, r := range m.Rows[0].Runs {
		if r.GBps(m.Rows[0].Size) <= 0 {
			t.Errorf("masking %s: %+v, want a time", m.Impls[i], r)
		}
	}
}

func TestMeasureInterruptedLeavesNoProcessBehind(t *testing.T) {
	var pids []int
	cfg := short(t, &pids)
	cfg.Time, cfg.Servers, cfg.Masks = 5*time.Second, []string{"reference"}, nil
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Interrupt in the middle of the reference's cell, as Ctrl-C would.
	var interrupted time.Time
	progress := writerFunc(func(p []byte) {
		if strings.HasPrefix(string(p), "reference: building") {
			time.AfterFunc(time.Second, func() { interrupted = time.Now(); cancel() })
		}
	})
	_, err := Measure(ctx, cfg, progress)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Measure interrupted returned %v, want context.Canceled", err)
	}
	if d := time.Since(interrupted); d > 3*time.Second {
		t.Errorf("Measure took %s to return after the interruption, want at once", d)
	}
	gone(t, pids)
}

type writerFunc func(p []byte)

func (f writerFunc) Write(p []byte) (int, error) { f(p); return len(p), nil }
