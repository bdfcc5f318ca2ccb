package bench

import (
	"fmt"
	"time"
)

// Result is a run's measurements, for Print and WriteSVG.
type Result struct {
	Time, Warmup time.Duration // per cell
	Servers      []string      // the columns, in order
	Cells        []Cell
	Masking      Masking // no rows when not run
}

// Cell is one row: a number of connections and a message size.
type Cell struct {
	Conns, Size int
	Runs        []Run // one per server, in Result.Servers' order
}

// Name is the cell's name in the table and the chart: "32 conns × 1 KiB".
func (c Cell) Name() string {
	conns := "1 conn"
	if c.Conns != 1 {
		conns = fmt.Sprintf("%d conns", c.Conns)
	}
	return conns + " × " + Size(c.Size)
}

// Run is one server's measurement of one cell.
type Run struct {
	Messages int           // round trips made in the best round (see Rounds)
	Elapsed  time.Duration // the best round's time, to its last round trip's end
	Echoed   int           // round trips made in all rounds
	Mallocs  uint64        // the server's heap allocations meanwhile (runtime.MemStats.Mallocs)
	Bytes    uint64        // and their bytes (runtime.MemStats.TotalAlloc)
	CPU      time.Duration // the server's CPU time meanwhile, user and system; negative: unknown

	Err        string // why the cell has no measurement
	Unfinished string // the learner's code is not written yet: the command that grades it
}

// NotRun is the Err of a run that was not made: the whole run was
// interrupted or out of time before it.
const NotRun = "not run"

// OK reports whether r measured something.
func (r Run) OK() bool { return r.Err == "" && r.Unfinished == "" && r.Messages > 0 && r.Elapsed > 0 }

// PerSec is the round trips a second, 0 without a measurement.
func (r Run) PerSec() float64 {
	if !r.OK() {
		return 0
	}
	return float64(r.Messages) / r.Elapsed.Seconds()
}

// AllocsPerMsg and BytesPerMsg are the server's allocations per message
// echoed.
func (r Run) AllocsPerMsg() float64 { return float64(r.Mallocs) / float64(max(r.Echoed, 1)) }
func (r Run) BytesPerMsg() float64  { return float64(r.Bytes) / float64(max(r.Echoed, 1)) }

// CPUPerMsg is the server's CPU time per message echoed, false when the
// system does not say or nothing was measured.
func (r Run) CPUPerMsg() (time.Duration, bool) {
	if !r.OK() || r.CPU <= 0 || r.Echoed == 0 {
		return 0, false
	}
	return r.CPU / time.Duration(r.Echoed), true
}

// add takes in another round of the same cell: its msg/s if better, its
// messages, allocations and CPU time in any case.
func (r *Run) add(round Run) {
	if round.PerSec() > r.PerSec() {
		r.Messages, r.Elapsed = round.Messages, round.Elapsed
	}
	r.Echoed += round.Echoed
	r.Mallocs += round.Mallocs
	r.Bytes += round.Bytes
	if r.CPU < 0 || round.CPU < 0 {
		r.CPU = -1
	} else {
		r.CPU += round.CPU
	}
}

// Ratio is run i's msg/s over the Baseline server's in the same cell, 0
// when either has no measurement.
func (res Result) Ratio(c Cell, i int) float64 {
	if j := res.baseline(); j >= 0 && c.Runs[j].OK() && c.Runs[i].OK() {
		return c.Runs[i].PerSec() / c.Runs[j].PerSec()
	}
	return 0
}

// CPURatio is the Baseline server's CPU time per message over run i's in
// the same cell (above 1: run i costs less), 0 when either is unknown.
func (res Result) CPURatio(c Cell, i int) float64 {
	j := res.baseline()
	if j < 0 {
		return 0
	}
	base, ok := c.Runs[j].CPUPerMsg()
	d, ok2 := c.Runs[i].CPUPerMsg()
	if !ok || !ok2 {
		return 0
	}
	return float64(base) / float64(d)
}

// baseline is the Baseline server's column, -1 when it did not run.
func (res Result) baseline() int {
	for j, name := range res.Servers {
		if name == Baseline {
			return j
		}
	}
	return -1
}

// Masking is the masking table: one row per buffer size.
type Masking struct {
	Impls []string // the columns, in order
	Rows  []MaskRow
}

// MaskRow is one buffer size's timings.
type MaskRow struct {
	Size int
	Runs []MaskRun // one per implementation, in Masking.Impls' order
}

// MaskRun is one implementation's time to mask the row's buffer once.
type MaskRun struct {
	NsPerOp    float64
	Err        string
	Unfinished string
}

// GBps is the masking throughput in GB/s (10⁹ bytes a second), 0 without
// a measurement.
func (m MaskRun) GBps(size int) float64 {
	if m.Err != "" || m.Unfinished != "" || m.NsPerOp <= 0 {
		return 0
	}
	return float64(size) / m.NsPerOp
}

// Size is a size in bytes as the table shows it: 16 B, 64 KiB, 4 MiB.
func Size(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}

// bytesPer is a byte count per message, rounded: 0 B, 312 B, 1.1 KiB, 4.0 MiB.
func bytesPer(b float64) string {
	switch {
	case b >= 1<<20:
		return fmt.Sprintf("%.1f MiB", b/(1<<20))
	case b >= 1<<10:
		return fmt.Sprintf("%.1f KiB", b/(1<<10))
	}
	return fmt.Sprintf("%.0f B", b)
}

// rate is a count a second, rounded: 812, 14.4k, 1.23M.
func rate(r float64) string {
	switch {
	case r >= 1e6:
		return fmt.Sprintf("%.2fM", r/1e6)
	case r >= 1e4:
		return fmt.Sprintf("%.1fk", r/1e3)
	case r >= 1e3:
		return fmt.Sprintf("%.2fk", r/1e3)
	case r >= 10:
		return fmt.Sprintf("%.0f", r)
	}
	return fmt.Sprintf("%.1f", r)
}
