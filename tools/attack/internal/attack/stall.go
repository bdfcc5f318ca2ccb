package attack

import (
	"fmt"
	"sync"
	"time"
)

// chatEvery is how often each well-behaved client says something: a lively
// room, not a flood.
const chatEvery = 200 * time.Millisecond

// Stall joins the chat and never reads, while K others chat. Everything the
// room says piles up for the staller, first in the server's queue, then in
// the kernel's buffers; a server that waits for those to fill keeps it for
// minutes. After T the kit reads what the server sent it, to see whether the
// server dropped it, and with the 1008 close frame (RFC 6455 §7.4.1).
func Stall(c Config) (Result, error) {
	var p pool
	defer p.closeAll()
	start := time.Now()
	until := start.Add(c.T + c.Drain)
	staller, err := c.joined(&p, until, "staller")
	if err != nil {
		return Result{}, err
	}
	staller.polite = false // it never answers again
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := range c.K {
		cl, err := c.joined(&p, until, fmt.Sprintf("chatter%d", i))
		if err != nil {
			close(stop)
			wg.Wait()
			return Result{}, err
		}
		wg.Go(func() { cl.watch(until) })
		wg.Go(func() { chat(cl, stop) })
	}
	time.Sleep(time.Until(start.Add(c.T)))
	close(stop)
	e := staller.watch(time.Now().Add(c.Drain))
	p.closeAll() // ends the chatters' watch
	wg.Wait()
	did := fmt.Sprintf("a client joined and never read while %d others chatted for %s", c.K, seconds(c.T))
	switch {
	case !e.closed:
		return Result{Line: did + ": your server kept it: a stalled reader stays until the kernel's buffers fill"}, nil
	case e.code != policyViolation:
		return Result{Held: true, Line: fmt.Sprintf("%s: your server dropped it, %s (the chapter promises 1008)", did, e)}, nil
	}
	return Result{Held: true, Line: fmt.Sprintf("%s: your server dropped it with %d: stalled readers are found", did, e.code)}, nil
}

// chat says something every chatEvery until stop is closed or a write fails.
func chat(cl *client, stop <-chan struct{}) {
	tick := time.NewTicker(chatEvery)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
			if cl.send(opText, mustJSON(event{Type: "say", Text: "the weather is fine"})) != nil {
				return
			}
		}
	}
}
