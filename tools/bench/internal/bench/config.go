// Package bench is make bench: it builds the workshop's echo servers (yours
// and the reference) and two other libraries' (gorilla/websocket,
// coder/websocket), starts each in turn on this machine, drives each with
// the same gorilla/websocket client for the same time, and reads each
// server's allocations, so that msg/s, allocations and bytes per message
// sit side by side in one table, with a chart. It also times masking.
// Reading (Measure) is apart from printing (Print, WriteSVG).
package bench

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The bounds of a run: enough to compare servers on one machine, and a
// run of the defaults ends well within two minutes.
const (
	MaxTime  = 10 * time.Second // per cell
	MaxConns = 256
	MaxSize  = 16 << 20 // the workshop's largest message (step 8's MaxMessageSize)
)

// Config is one run.
type Config struct {
	Root    string        // the workshop's checkout, where go build runs
	Time    time.Duration // each cell's measured time, after its warm-up
	Warmup  time.Duration // each cell's warm-up, not measured
	Conns   []int         // connections at once, each a cell per size
	Sizes   []int         // message sizes in bytes
	Servers []string      // names from Servers (and Masks) to run; empty: all
	Masks   []int         // buffer sizes of the masking table; empty: no table
}

// Default is the run of make bench without variables: 1.5 s a cell after
// 0.25 s of warm-up, 4 servers × 8 cells, about 70 s with the builds and
// the masking table.
func Default() Config {
	return Config{
		Time:   1500 * time.Millisecond,
		Warmup: 250 * time.Millisecond,
		Conns:  []int{1, 32},
		Sizes:  []int{16, 1 << 10, 64 << 10, 4 << 20},
		Masks:  []int{64 << 10, 1 << 20},
	}
}

// Check says what is wrong with c, if anything.
func (c Config) Check() error {
	if c.Time <= 0 || c.Time > MaxTime || c.Warmup < 0 || c.Warmup > MaxTime {
		return fmt.Errorf("TIME %s, warm-up %s: each from 1 ms to %s", c.Time, c.Warmup, MaxTime)
	}
	if len(c.Conns) == 0 || len(c.Sizes) == 0 {
		return fmt.Errorf("no cells: give CONNS and SIZES")
	}
	for _, n := range c.Conns {
		if n < 1 || n > MaxConns {
			return fmt.Errorf("CONNS: %d connections, want 1 to %d", n, MaxConns)
		}
	}
	for _, s := range append(slices.Clone(c.Sizes), c.Masks...) {
		if s < 1 || s > MaxSize {
			return fmt.Errorf("SIZES: %d bytes, want 1 byte to %s", s, Size(MaxSize))
		}
	}
	for _, name := range c.Servers {
		if !slices.ContainsFunc(Servers, func(s Server) bool { return s.Name == name }) {
			return fmt.Errorf("SERVERS: no server %q; the servers are %s", name, strings.Join(Names(Servers), ","))
		}
	}
	return nil
}

// Budget bounds the whole run: the cells' and the masking's time, and 50
// s for the builds and for starting and stopping the servers (under 2 min
// for the defaults; a first build, which downloads and compiles the peers'
// libraries, may need a second run). A run that takes longer (a server
// that hangs) is stopped with what it measured so far.
func (c Config) Budget() time.Duration {
	cells := time.Duration(len(c.Pick(Servers)) * len(c.Conns) * len(c.Sizes))
	masks := time.Duration(len(c.Pick(Masks)) * len(c.Masks))
	return cells*(c.Time+c.Warmup) + masks*c.Time/2 + 50*time.Second
}

// Pick is the servers (or maskings) of list that the run includes, in
// the order c.Servers names them, or in list's order when it names none.
func (c Config) Pick(list []Server) []Server {
	var picked []Server
	if len(c.Servers) == 0 {
		for _, s := range list {
			if c.Picks(s) {
				picked = append(picked, s)
			}
		}
		return picked
	}
	for _, name := range c.Servers {
		if i := slices.IndexFunc(list, func(s Server) bool { return s.Name == name }); i >= 0 {
			picked = append(picked, list[i])
		}
	}
	return picked
}

// Picks reports whether the run includes server (or masking) s: the
// servers named in c.Servers, or when none are named all but the opt-in
// ones.
func (c Config) Picks(s Server) bool {
	if len(c.Servers) == 0 {
		return !s.OptIn
	}
	return slices.Contains(c.Servers, s.Name)
}

// ParseSizes reads sizes as make bench takes them: comma separated, each
// bytes or with a suffix K or M (KiB, MiB): 16,1K,64K,4M.
func ParseSizes(s string) ([]int, error) {
	var sizes []int
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		mult := 1
		switch {
		case strings.HasSuffix(f, "K"):
			mult, f = 1<<10, strings.TrimSuffix(f, "K")
		case strings.HasSuffix(f, "M"):
			mult, f = 1<<20, strings.TrimSuffix(f, "M")
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("size %q: want bytes, or a number with K or M (16,1K,64K,4M)", f)
		}
		sizes = append(sizes, n*mult)
	}
	return sizes, nil
}

// ParseInts reads a comma separated list of whole numbers: 1,32.
func ParseInts(s string) ([]int, error) {
	var ns []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return nil, fmt.Errorf("%q is not a whole number", f)
		}
		ns = append(ns, n)
	}
	return ns, nil
}
