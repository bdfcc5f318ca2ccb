package attack

import (
	"fmt"
	"sync"
	"time"
)

// Idle opens N WebSockets (the handshake done) that never send a byte, and
// counts after T how many the server still keeps. Each one costs the
// server a descriptor and a goroutine; a server with no idle timeout runs
// out of descriptors for everyone else. A refused upgrade (503, a cap on
// connections) counts as held.
func Idle(c Config) (Result, error) {
	var p pool
	defer p.closeAll()
	start := time.Now()
	until := start.Add(c.T + c.Drain)
	opened, refused, err := c.upgrades(&p, c.N, until)
	if err != nil {
		return Result{}, err
	}
	kept := countKept(opened, start.Add(c.T))
	did := fmt.Sprintf("%d upgrades that never send (%d refused)", c.N, refused)
	if kept > 0 {
		return Result{Line: fmt.Sprintf("%s: your server kept %d of them for %s: no idle timeout", did, kept, seconds(c.T))}, nil
	}
	return Result{Held: true, Line: fmt.Sprintf("%s: your server closed all %d within %s: idle timeout works", did, len(opened), seconds(c.T))}, nil
}

// countKept watches every client until deadline and counts those the
// server has not closed by then.
func countKept(clients []*client, deadline time.Time) int {
	var wg sync.WaitGroup
	var mu sync.Mutex
	kept := 0
	for _, cl := range clients {
		wg.Go(func() {
			if !cl.watch(deadline).closed {
				mu.Lock()
				kept++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return kept
}
