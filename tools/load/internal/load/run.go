package load

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"
)

// run is the state of one Run.
type run struct {
	cfg     Config
	url     string
	id      string        // in every message, so that two runs, or people in the room, are not counted
	start   time.Time     // every time in the run is measured from here, on the monotonic clock
	idle    time.Duration // a client that hears nothing for this long has lost its server
	spread  bool          // the clients come from many source addresses (Config.PerAddr)
	latency histogram
	log     io.Writer

	normal   []*client // by sender id; nil where the client could not join
	flooders []*client
	stallers []*client
	spoke    time.Time     // when the clients began to speak
	stop     chan struct{} // closed when the run ends
}

// dialParallel is how many clients join at once: a learner's accept loop
// and the kernel's listen backlog see a crowd, not a stampede.
const dialParallel = 32

// Run carries out a run and reports it; progress lines go to log (nil:
// none). Cancelling ctx (Ctrl-C) ends the sending early, and the report
// still comes, marked interrupted. The error is for a run that could not
// start: a bad configuration, no server, nobody joined.
func Run(ctx context.Context, cfg Config, log io.Writer) (*Report, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	if log == nil {
		log = io.Discard
	}
	url, _ := ParseAddr(cfg.URL)
	r := &run{cfg: cfg, url: url, id: runID(), start: time.Now(), log: log, spread: spreads(url, cfg.PerAddr), stop: make(chan struct{}),
		idle: 3*cfg.patience() + time.Duration(2*float64(time.Second)/cfg.Rate)}
	rep := &Report{URL: url, Clients: cfg.Clients, Rate: cfg.Rate, Duration: cfg.Duration, PID: cfg.PID,
		Sources: r.sources(), Closed: map[string]int{}}

	stopRSS, rssDone := make(chan struct{}), make(chan struct{})
	if cfg.PID > 0 {
		if _, err := rss(cfg.PID); err != nil {
			return nil, err
		}
		go func() { rep.RSSStart, rep.RSSPeak = sampleRSS(cfg.PID, stopRSS); close(rssDone) }()
	} else {
		close(rssDone)
	}
	defer func() { close(stopRSS); <-rssDone }()

	fmt.Fprintf(log, "load: joining %d clients to %s\n", cfg.Clients, url)
	r.normal = make([]*client, cfg.Clients)
	err := r.joinAll(ctx, cfg.Clients, "load", func(i int) int { return i / max(cfg.PerAddr, 1) }, func(i int, c *client) {
		c.lastSeq = make([]int32, cfg.Clients)
		r.normal[i] = c
	})
	for _, c := range r.normal {
		if c != nil {
			rep.Joined++
		}
	}
	rep.JoinFailures = cfg.Clients - rep.Joined
	if err != nil {
		rep.JoinError = err.Error()
	}
	if rep.Joined == 0 {
		return nil, fmt.Errorf("no client could join the chat on %s: %w", url, err)
	}
	rep.WarmedUp = r.warmUp(ctx)
	r.joinExtras(ctx)
	r.speak(ctx, rep)
	r.drain()
	r.finish(rep)
	return rep, nil
}

func runID() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// joinAll dials n clients, dialParallel at a time, each named prefix-i
// and coming from the source address numbered source(i), and hands each
// one that is welcomed to keep; the error is the first failure.
func (r *run) joinAll(ctx context.Context, n int, prefix string, source func(int) int, keep func(int, *client)) error {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	sem := make(chan struct{}, dialParallel)
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			c, err := r.join(ctx, i, fmt.Sprintf("%s-%d", prefix, i), r.sourceIP(source(i)), prefix != "stall")
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				first = cmp.Or(first, fmt.Errorf("%s-%d: %w", prefix, i, err))
				return
			}
			keep(i, c)
		}()
	}
	wg.Wait()
	return first
}

// join dials one client and waits for its welcome. A reading client keeps
// its read loop; a staller reads up to the welcome and never again.
func (r *run) join(ctx context.Context, id int, nick string, source net.IP, reads bool) (*client, error) {
	c, err := r.dial(ctx, id, nick, source)
	if err != nil {
		return nil, err
	}
	joined := make(chan error, 1)
	if reads {
		go c.read(joined)
	} else {
		go c.readUntilWelcome(joined)
	}
	select {
	case err = <-joined:
	case <-time.After(r.cfg.patience()):
		err = errors.New("no welcome in time")
	}
	if err != nil {
		_ = c.conn.Close()
		return nil, err
	}
	return c, nil
}

// warmUp has the first client say a probe until every normal client has
// heard one, within patience: only then is everyone in the room, and
// every message said from now on is due to every client. It returns how
// many heard it.
func (r *run) warmUp(ctx context.Context) int {
	var prober *client
	deadline := time.Now().Add(r.cfg.patience())
	for {
		heard, all := 0, 0
		for _, c := range r.normal {
			if c != nil {
				prober = cmp.Or(prober, c)
				all++
				if c.probed.Load() {
					heard++
				}
			}
		}
		if heard == all || time.Now().After(deadline) || ctx.Err() != nil {
			fmt.Fprintf(r.log, "load: %d clients joined, %d heard the warm-up\n", all, heard)
			return heard
		}
		if prober.write(event{Type: "say", Text: "probe " + r.id}) != nil {
			return heard
		}
		time.Sleep(250 * time.Millisecond)
	}
}
