package attack

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// floodText makes each say event about 3 KiB, under the chat's 4 KiB limit
// on a message.
var floodText = strings.Repeat("flood ", 512)

// Flood joins K clients that only read, then one that says as fast as it
// can for T, reading its own echoes so that it is not dropped for being
// slow, and joining again whenever the server closes it, as an attacker
// would. A server without a limit per sender fills every reader's queue
// with the flood and drops the readers, who did nothing wrong; a server
// with one closes the flooder with 1008 (RFC 6455 §7.4.1) and no one else.
func Flood(c Config) (Result, error) {
	var p pool
	defer p.closeAll()
	start := time.Now()
	until := start.Add(c.T + c.Drain)
	endT := start.Add(c.T)
	var wg sync.WaitGroup
	var dropped atomic.Int32
	for i := range c.K {
		cl, err := c.joined(&p, until, fmt.Sprintf("reader%d", i))
		if err != nil {
			p.closeAll()
			wg.Wait()
			return Result{}, err
		}
		wg.Go(func() {
			if cl.watch(endT).closed {
				dropped.Add(1)
			}
		})
	}
	sent, sessions := 0, 0
	var first ending
	for time.Now().Before(endT) {
		n, e, err := floodOnce(c, &p, until, endT)
		if err != nil && sessions == 0 {
			p.closeAll()
			wg.Wait()
			return Result{}, err
		}
		if err != nil {
			break // the server refuses a new join: the flood is over
		}
		if sessions == 0 {
			first = e
		}
		sent += n
		sessions++
	}
	wg.Wait() // the readers are watched until T
	did := fmt.Sprintf("a flooder sent %d say events of 3 KiB as fast as it could for %s beside %d readers, joining %d times", sent, seconds(c.T), c.K, sessions)
	verdict := fmt.Sprintf("%d readers dropped, the flooder first %s", dropped.Load(), first)
	switch {
	case dropped.Load() > 0:
		return Result{Line: did + ": " + verdict + ": the readers pay for the flooder"}, nil
	case !first.closed:
		return Result{Line: did + ": " + verdict + ": no limit on a sender"}, nil
	}
	return Result{Held: true, Line: did + ": " + verdict + ": the flooder alone pays"}, nil
}

// floodOnce joins as the flooder and says as fast as it can until endT or
// until the server closes the connection; it returns how many events it
// sent and how the connection ended.
func floodOnce(c Config, p *pool, until, endT time.Time) (int, ending, error) {
	fl, err := c.joined(p, until, "flooder")
	if err != nil {
		return 0, ending{}, err
	}
	ended := make(chan ending, 1)
	var over atomic.Bool
	go func() {
		e := fl.watch(until)
		over.Store(true)
		ended <- e
	}()
	sent := 0
	msg := mustJSON(event{Type: "say", Text: floodText})
	_ = fl.conn.SetWriteDeadline(endT)
	for time.Now().Before(endT) && !over.Load() && fl.send(opText, msg) == nil {
		sent++
	}
	if !time.Now().Before(endT) {
		// Time is up, not the connection: stop the watch. After a failed
		// write the watch ends by itself, on what the server sent.
		_ = fl.conn.SetReadDeadline(time.Now())
	}
	e := <-ended
	fl.conn.Close()
	return sent, e, nil
}
