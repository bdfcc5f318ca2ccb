package load

import (
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Report is what a run found. Delivered and Expected count the normal
// clients' messages heard by the normal clients: every message is due to
// every client in the room, its sender too (docs/10-chat.md: a say goes to
// everyone, the speaker too). The flooders' and stallers' own fate is in
// Extras, apart.
type Report struct {
	URL         string
	Clients     int
	Rate        float64
	Duration    time.Duration
	Ran         time.Duration // how long the clients spoke: Duration, or less when interrupted
	Interrupted bool

	Joined       int    // normal clients welcomed
	JoinFailures int    // normal clients that could not join
	JoinError    string // the first reason
	WarmedUp     int    // normal clients that heard the warm-up probe
	Sources      int    // source addresses the normal clients came from; 0: the system's choice

	Sent, Delivered, Expected int64
	Twice                     int64 // messages heard again, or out of order
	FloodHeard                int64 // flood messages the normal clients heard

	P50, P99, Max time.Duration // from send to delivery

	Closed map[string]int // normal clients the server closed, by close code
	Extras []Extra

	PID               int
	RSSStart, RSSPeak int64 // bytes, sampled every second
}

// Extra is the fate of one flooder or staller.
type Extra struct {
	Kind    string // "flooder" or "staller"
	N       int
	Sent    int64
	Outcome string // how the server ended it, and when
}

// Complete is true when every normal client joined, stayed, and heard
// every message once.
func (r *Report) Complete() bool {
	return r.JoinFailures == 0 && len(r.Closed) == 0 && r.Twice == 0 && r.Expected > 0 && r.Delivered == r.Expected
}

// Verdict is the report in one line.
func (r *Report) Verdict() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d clients × %s msg/s for %s: %s delivered, p99 %s",
		r.Clients, strconv.FormatFloat(r.Rate, 'g', -1, 64), seconds(r.Duration), percent(r.Delivered, r.Expected), millis(r.P99))
	if r.PID > 0 {
		fmt.Fprintf(&b, ", peak RSS %s", mib(r.RSSPeak))
	}
	if r.JoinFailures > 0 {
		fmt.Fprintf(&b, ", %d could not join", r.JoinFailures)
	}
	if n := closedCount(r.Closed); n > 0 {
		fmt.Fprintf(&b, ", %d closed by the server", n)
	}
	if extras := r.extrasSummary(); extras != "" {
		fmt.Fprintf(&b, ", beside %s", extras)
	}
	if r.Interrupted {
		fmt.Fprintf(&b, " (interrupted after %s)", seconds(r.Ran))
	}
	return b.String()
}

// Write prints the whole report, the verdict last.
func (r *Report) Write(w io.Writer) {
	line := func(label, format string, args ...any) {
		fmt.Fprintf(w, "  %-22s %s\n", label, fmt.Sprintf(format, args...))
	}
	fmt.Fprintf(w, "load report: %s\n", r.URL)
	from := ""
	if r.Sources > 0 {
		from = fmt.Sprintf(", from %d source addresses", r.Sources)
	}
	line("clients joined", "%d of %d (%d heard the warm-up)%s", r.Joined, r.Clients, r.WarmedUp, from)
	if r.JoinFailures > 0 {
		line("could not join", "%d, the first: %s", r.JoinFailures, r.JoinError)
	}
	line("messages sent", "%d in %s", r.Sent, seconds(r.Ran))
	line("delivered/expected", "%d/%d (%s), each message to every client, its sender too", r.Delivered, r.Expected, percent(r.Delivered, r.Expected))
	if r.Twice > 0 {
		line("heard twice or late", "%d", r.Twice)
	}
	line("delivery latency", "p50 %s, p99 %s, max %s", millis(r.P50), millis(r.P99), millis(r.Max))
	line("closed by the server", "%s", closes(r.Closed))
	for _, x := range r.Extras {
		if x.Kind == "flooder" && x.Sent > 0 {
			line(fmt.Sprintf("flooder %d", x.N), "sent %d messages of 4 KiB; %s", x.Sent, x.Outcome)
		} else {
			line(fmt.Sprintf("staller %d", x.N), "%s", x.Outcome)
		}
	}
	if r.FloodHeard > 0 {
		line("flood heard", "%d flood messages reached the normal clients", r.FloodHeard)
	}
	if r.PID > 0 {
		line("server memory", "peak RSS %s (%s at the start; PID %d, sampled every second)", mib(r.RSSPeak), mib(r.RSSStart), r.PID)
	} else {
		line("server memory", "not measured (give PID=… of the server)")
	}
	fmt.Fprintln(w, r.Verdict())
}

// extrasSummary is "1 flooder and 1 staller", or "" without either.
func (r *Report) extrasSummary() string {
	count := map[string]int{}
	for _, x := range r.Extras {
		count[x.Kind]++
	}
	var parts []string
	for _, kind := range []string{"flooder", "staller"} {
		if n := count[kind]; n == 1 {
			parts = append(parts, "1 "+kind)
		} else if n > 1 {
			parts = append(parts, fmt.Sprintf("%d %ss", n, kind))
		}
	}
	return strings.Join(parts, " and ")
}

func closedCount(m map[string]int) int {
	n := 0
	for _, k := range m {
		n += k
	}
	return n
}

func closes(m map[string]int) string {
	if len(m) == 0 {
		return "none"
	}
	var parts []string
	for _, how := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%s ×%d", how, m[how]))
	}
	return fmt.Sprintf("%d: %s", closedCount(m), strings.Join(parts, ", "))
}

// percent is delivered/expected, rounded down: 100.00 % means all of it.
func percent(n, of int64) string {
	if of == 0 {
		return "0.00 %"
	}
	return fmt.Sprintf("%.2f %%", math.Floor(float64(n)*10000/float64(of))/100)
}

func seconds(d time.Duration) string {
	if d%time.Second == 0 {
		return fmt.Sprintf("%d s", d/time.Second)
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}

func millis(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%d µs", d/time.Microsecond)
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%d ms", d.Round(time.Millisecond)/time.Millisecond)
}

func mib(n int64) string {
	if n < 10<<20 {
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d MiB", (n+1<<19)>>20)
}
