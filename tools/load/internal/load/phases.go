package load

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"
)

// readUntilWelcome is a staller's only reading: the welcome, then never
// again.
func (c *client) readUntilWelcome(joined chan<- error) {
	_ = c.conn.SetReadDeadline(time.Now().Add(c.r.cfg.patience()))
	for {
		_, data, err := c.conn.ReadMessage()
		if err != nil {
			joined <- fmt.Errorf("no welcome: %s", describeEnd(err))
			return
		}
		var ev event
		if json.Unmarshal(data, &ev) == nil && ev.Type == "welcome" {
			joined <- nil
			return
		}
	}
}

// joinExtras joins the flooders and the stallers, after the warm-up: they
// are not waited for, and a server may drop them at once.
func (r *run) joinExtras(ctx context.Context) {
	r.flooders = make([]*client, r.cfg.Flood)
	r.stallers = make([]*client, r.cfg.Stall)
	// Each on a source address of its own, after the normal clients'.
	next := r.sources()
	_ = r.joinAll(ctx, r.cfg.Flood, "flood", func(i int) int { return next + i }, func(i int, c *client) { r.flooders[i] = c })
	next += r.cfg.Flood
	_ = r.joinAll(ctx, r.cfg.Stall, "stall", func(i int) int { return next + i }, func(i int, c *client) { r.stallers[i] = c })
	for _, c := range r.stallers {
		if c != nil {
			go c.watchStalled(r.stop)
		}
	}
}

// watchStalled notes when the server lets a staller go, without reading
// a byte: every 100 ms it looks at the connection's TCP state.
func (c *client) watchStalled(stop <-chan struct{}) {
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		if closed, ok := peerClosed(c.conn.NetConn()); !ok || closed {
			if closed {
				c.goneAt.Store(int64(time.Since(c.r.start)))
			}
			return
		}
		select {
		case <-stop:
			return
		case <-tick.C:
		}
	}
}

// speak has every normal client say its messages, and every flooder
// flood, for the duration, printing progress every 10 s.
func (r *run) speak(ctx context.Context, rep *Report) {
	began := time.Now()
	until := began.Add(r.cfg.Duration)
	fmt.Fprintf(r.log, "load: speaking for %s\n", r.cfg.Duration)
	var wg sync.WaitGroup
	every := time.Duration(float64(time.Second) / r.cfg.Rate)
	for i, c := range r.normal {
		if c != nil {
			wg.Go(func() { c.say(ctx, until, every*time.Duration(i)/time.Duration(len(r.normal))) })
		}
	}
	for _, c := range r.flooders {
		if c != nil {
			wg.Go(func() { c.flood(ctx, until) })
		}
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	tick := time.NewTicker(10 * time.Second)
	defer tick.Stop()
	for {
		select {
		case <-done:
			rep.Ran = time.Since(began)
			rep.Interrupted = ctx.Err() != nil
			r.spoke = began
			return
		case <-tick.C:
			sent, delivered := r.counts()
			fmt.Fprintf(r.log, "load: %s: %d sent, %d delivered\n", time.Since(began).Round(time.Second), sent, delivered)
		}
	}
}

// counts adds up the normal clients' messages sent and heard.
func (r *run) counts() (sent, delivered int64) {
	for _, c := range r.normal {
		if c != nil {
			sent += c.sent.Load()
			delivered += c.received.Load()
		}
	}
	return sent, delivered
}

// drain waits until every normal client still connected has heard every
// message, or until nothing more arrives for patience; after Ctrl-C too,
// so that an interrupted report counts what was on its way.
func (r *run) drain() {
	sent, last := r.counts()
	quietSince := time.Now()
	for time.Since(quietSince) < r.cfg.patience() {
		waiting := false
		for _, c := range r.normal {
			if c != nil && c.received.Load() < sent && !c.isEnded() {
				waiting = true
			}
		}
		if !waiting {
			return
		}
		time.Sleep(20 * time.Millisecond)
		if _, delivered := r.counts(); delivered != last {
			last, quietSince = delivered, time.Now()
		}
	}
}

func (c *client) isEnded() bool {
	select {
	case <-c.ended:
		return true
	default:
		return false
	}
}

// finish reads the stallers' backlog, closes everyone, and fills in the
// report.
func (r *run) finish(rep *Report) {
	close(r.stop)
	var wg sync.WaitGroup
	stalled := make([]string, len(r.stallers))
	for i, c := range r.stallers {
		if c != nil {
			wg.Go(func() { stalled[i] = c.drainStalled() })
		}
	}
	wg.Wait()
	for _, c := range append(append([]*client{}, r.normal...), r.flooders...) {
		if c != nil {
			wg.Go(c.close)
		}
	}
	wg.Wait()

	rep.Sent, rep.Delivered = r.counts()
	for _, c := range r.normal {
		if c == nil {
			continue
		}
		rep.Expected += rep.Sent
		rep.Twice += c.twice.Load()
		rep.FloodHeard += c.floodHeard.Load()
		if c.end != "" {
			rep.Closed[c.end]++
		}
	}
	rep.P50, rep.P99, rep.Max = r.latency.quantile(0.50), r.latency.quantile(0.99), time.Duration(r.latency.max.Load())
	for i, c := range r.flooders {
		x := Extra{Kind: "flooder", N: i + 1, Outcome: "could not join"}
		if c != nil {
			x.Sent, x.Outcome = c.sent.Load(), "kept to the end"
			if c.end != "" {
				x.Outcome = fmt.Sprintf("closed by the server: %s after %s", c.end, r.intoRun(c.endedAt))
			}
		}
		rep.Extras = append(rep.Extras, x)
	}
	for i, c := range r.stallers {
		x := Extra{Kind: "staller", N: i + 1, Outcome: "could not join"}
		if c != nil {
			x.Outcome = stalled[i]
			gone := time.Duration(c.goneAt.Load())
			switch {
			case gone > 0:
				x.Outcome += " after " + r.intoRun(gone)
			case strings.HasPrefix(x.Outcome, "closed"):
				x.Outcome += ", read at the end (its TCP connection was still open)"
			}
		}
		rep.Extras = append(rep.Extras, x)
	}
}

// intoRun says how far into the speaking a moment of the run (measured
// from its start) was; 0 s for one before it.
func (r *run) intoRun(at time.Duration) string {
	return fmt.Sprintf("%.1f s", max(at-r.spoke.Sub(r.start), 0).Seconds())
}
