package bench

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// Print writes res as make bench shows it: msg/s with the ratio to
// gorilla's, the servers' allocations per message, the masking table, and
// notes on what failed.
func Print(w io.Writer, res Result) error {
	tw := tabwriter.NewWriter(w, 0, 0, 3, ' ', 0)
	fmt.Fprintf(tw, "make bench: the same gorilla/websocket client on every server, on loopback. Each cell: the best msg/s of %d rounds\n", Rounds)
	fmt.Fprintf(tw, "of %s (after a warm-up: %s, and an echo on each connection), the servers taking turns; allocations and CPU over all rounds.\n", (res.Time / Rounds).Round(time.Millisecond), (res.Warmup / Rounds).Round(time.Millisecond))
	fmt.Fprintln(tw, "On 1 connection a message waits for the one before: msg/s is then mostly the kernel's and the Go scheduler's wake-ups,")
	fmt.Fprint(tw, "alike for every server and unlike from run to run. What a server itself costs is its CPU per message.\n\n")
	n := &notes{}
	table(tw, "msg/s (× "+Baseline+")", res.Servers, res.Cells, func(c Cell, i int) string {
		r := c.Runs[i]
		if !r.OK() {
			return n.add(res.Servers[i], c.Name(), r.Err, r.Unfinished, len(res.Cells))
		}
		if ratio := res.Ratio(c, i); ratio > 0 {
			return fmt.Sprintf("%s ×%.2f", rate(r.PerSec()), ratio)
		}
		return rate(r.PerSec())
	})
	fmt.Fprintln(tw)
	table(tw, "server allocs/msg, bytes/msg", res.Servers, res.Cells, func(c Cell, i int) string {
		r := c.Runs[i]
		if !r.OK() {
			return status(r.Err, r.Unfinished)
		}
		return allocs(r.AllocsPerMsg()) + "  " + bytesPer(r.BytesPerMsg())
	})
	fmt.Fprintln(tw)
	table(tw, "server CPU µs/msg ("+Baseline+"'s ÷ it)", res.Servers, res.Cells, func(c Cell, i int) string {
		r := c.Runs[i]
		if !r.OK() {
			return status(r.Err, r.Unfinished)
		}
		d, ok := r.CPUPerMsg()
		if !ok {
			return "unknown"
		}
		us := micros(d)
		if ratio := res.CPURatio(c, i); ratio > 0 {
			return fmt.Sprintf("%s ×%.2f", us, ratio)
		}
		return us
	})
	if m := res.Masking; len(m.Rows) > 0 {
		fmt.Fprintln(tw)
		fmt.Fprintf(tw, "masking GB/s (× %s)", Baseline)
		for _, name := range m.Impls {
			fmt.Fprintf(tw, "\t%s", name)
		}
		fmt.Fprintln(tw)
		for _, row := range m.Rows {
			fmt.Fprint(tw, Size(row.Size))
			for i, r := range row.Runs {
				fmt.Fprintf(tw, "\t%s", maskEntry(n, m, row, i, r))
			}
			fmt.Fprintln(tw)
		}
		fmt.Fprintf(tw, "(%s's masking, unexported, is timed by difference: its server Conn reading a masked message, less its client Conn reading it unmasked.)\n", Baseline)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return n.print(w)
}

// table writes one table: a row per cell, a column per server.
func table(tw io.Writer, title string, servers []string, cells []Cell, entry func(c Cell, i int) string) {
	fmt.Fprint(tw, title)
	for _, name := range servers {
		fmt.Fprintf(tw, "\t%s", name)
	}
	fmt.Fprintln(tw)
	for _, c := range cells {
		fmt.Fprint(tw, c.Name())
		for i := range servers {
			fmt.Fprintf(tw, "\t%s", entry(c, i))
		}
		fmt.Fprintln(tw)
	}
}

func maskEntry(n *notes, m Masking, row MaskRow, i int, r MaskRun) string {
	gbps := r.GBps(row.Size)
	if gbps == 0 {
		return n.add("masking "+m.Impls[i], Size(row.Size), r.Err, r.Unfinished, len(m.Rows))
	}
	for j, name := range m.Impls {
		if base := row.Runs[j].GBps(row.Size); name == Baseline && base > 0 {
			return fmt.Sprintf("%.1f ×%.2f", gbps, gbps/base)
		}
	}
	return fmt.Sprintf("%.1f", gbps)
}

func status(err, unfinished string) string {
	if unfinished != "" {
		return "not finished: " + unfinished
	}
	if err == "" {
		return "no messages"
	}
	if err == NotRun {
		return err
	}
	return "failed"
}

// micros is a short time in microseconds, rounded: 15.2, 312, 4810.
func micros(d time.Duration) string {
	us := float64(d) / float64(time.Microsecond)
	if us < 100 {
		return fmt.Sprintf("%.1f", us)
	}
	return fmt.Sprintf("%.0f", us)
}

func allocs(a float64) string {
	switch {
	case a == 0:
		return "0"
	case a < 0.05:
		return "≈0" // a few allocations of the runtime's own over the cell
	}
	return fmt.Sprintf("%.1f", a)
}

// notes gathers why entries failed, each reason once per server: for
// every cell, or for the cells it names.
type notes struct {
	order []string
	where map[string][]string
	all   map[string]int
}

// add notes a failed entry and returns what its table entry shows.
func (n *notes) add(server, cell, err, unfinished string, cells int) string {
	if err != "" && err != NotRun {
		key := server + ": " + err
		if n.where == nil {
			n.where, n.all = map[string][]string{}, map[string]int{}
		}
		if _, ok := n.where[key]; !ok {
			n.order = append(n.order, key)
		}
		n.where[key] = append(n.where[key], cell)
		n.all[key] = cells
	}
	return status(err, unfinished)
}

func (n *notes) print(w io.Writer) error {
	if len(n.order) == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteString("\nwhy:\n")
	for _, key := range n.order {
		server, err, _ := strings.Cut(key, ": ")
		if cells := n.where[key]; len(cells) < n.all[key] {
			server += " (" + strings.Join(cells, ", ") + ")"
		}
		fmt.Fprintf(&b, "  %s: %s\n", server, err)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
