package bench

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// grace bounds each round trip beyond the end of its phase: a slow 4 MiB
// echo on a busy machine takes a fraction of it, a hung server all of it.
const grace = 10 * time.Second

// counters are an echo server's own counters at one moment, as
// tools/echokit reports them: each only ever grows.
type counters struct {
	mallocs, bytes uint64        // heap objects and bytes allocated so far
	cpu            time.Duration // CPU time used so far, user and system; negative: unknown
}

// since is what the counters grew by from c0: a negative cpu when either
// does not know it.
func (c counters) since(c0 counters) Run {
	r := Run{Mallocs: c.mallocs - c0.mallocs, Bytes: c.bytes - c0.bytes, CPU: -1}
	if c.cpu >= 0 && c0.cpu >= 0 {
		r.CPU = c.cpu - c0.cpu
	}
	return r
}

// stats reads a server's counters.
type stats func(ctx context.Context) (counters, error)

// errDial is a cell's failure to connect: the learner's unfinished
// server fails that way.
var errDial = errors.New("dial")

// cell measures one cell on the echo server at url: conns connections
// each echo size-byte messages one after another through warm-up, then
// for d, with the server's counters read between the two phases (when
// every connection is idle) and after the second.
func cell(ctx context.Context, url string, conns, size int, warmup, d time.Duration, read stats) (Run, error) {
	payload := make([]byte, size)
	_, _ = rand.Read(payload)
	dialer := websocket.Dialer{
		HandshakeTimeout: grace,
		ReadBufferSize:   64 << 10,
		// A message in one frame up to 1 MiB, as a browser sends it:
		// gorilla's client frames a message per buffer full.
		WriteBufferSize: min(max(size+16, 4<<10), 1<<20),
	}
	cs := make([]*echoConn, 0, conns)
	defer func() {
		for _, c := range cs {
			c.close()
		}
	}()
	for range conns {
		ws, resp, err := dialer.DialContext(ctx, url, http.Header{})
		if resp != nil && resp.Body != nil {
			resp.Body.Close()
		}
		if err != nil {
			return Run{}, fmt.Errorf("%w: %w", errDial, err)
		}
		cs = append(cs, &echoConn{ws: ws, payload: payload, buf: make([]byte, size+1)})
	}
	// Warm-up: at least one round trip on each connection, so that a
	// server's buffers have grown before its counters are read.
	if _, err := phase(ctx, cs, time.Now().Add(warmup), 1); err != nil {
		return Run{}, fmt.Errorf("warm-up: %w", err)
	}
	c0, err := read(ctx)
	if err != nil {
		return Run{}, err
	}
	start := time.Now()
	n, err := phase(ctx, cs, start.Add(d), 0)
	elapsed := time.Since(start)
	if err != nil {
		return Run{}, err
	}
	c1, err := read(ctx)
	if err != nil {
		return Run{}, err
	}
	r := c1.since(c0)
	r.Messages, r.Elapsed, r.Echoed = n, elapsed, n
	return r, nil
}

// phase has every connection echo until the time until, and at least
// least times, and returns the round trips made. Interrupted, it closes
// the connections.
func phase(ctx context.Context, cs []*echoConn, until time.Time, least int) (int, error) {
	counts := make([]int, len(cs))
	errs := make([]error, len(cs))
	stop := context.AfterFunc(ctx, func() {
		for _, c := range cs {
			_ = c.ws.NetConn().Close()
		}
	})
	defer stop()
	var wg sync.WaitGroup
	for i, c := range cs {
		wg.Go(func() { counts[i], errs[i] = c.echoUntil(until, least) })
	}
	wg.Wait()
	n := 0
	for i := range cs {
		n += counts[i]
		if errs[i] != nil {
			return n, fmt.Errorf("connection %d of %d: %w", i+1, len(cs), errs[i])
		}
	}
	return n, ctx.Err()
}

// echoConn is one connection of a cell: it sends the payload with its
// first 8 bytes (fewer for a shorter one) replaced by a sequence number,
// so that a stale echo is not taken for the right one.
type echoConn struct {
	ws      *websocket.Conn
	payload []byte // shared by the cell's connections, never written
	buf     []byte // the echo, and one byte more to see a longer one
	seq     uint64
}

func (c *echoConn) echoUntil(until time.Time, least int) (int, error) {
	if err := c.ws.NetConn().SetDeadline(until.Add(grace)); err != nil {
		return 0, err
	}
	n := 0
	for n < least || time.Now().Before(until) {
		if now := time.Now(); !now.Before(until) {
			// past the phase's end for the least round trips: each its own grace
			if err := c.ws.NetConn().SetDeadline(now.Add(grace)); err != nil {
				return n, err
			}
		}
		if err := c.roundTrip(); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

func (c *echoConn) roundTrip() error {
	size := len(c.payload)
	k := min(8, size)
	var seq [8]byte
	c.seq++
	binary.BigEndian.PutUint64(seq[:], c.seq)
	w, err := c.ws.NextWriter(websocket.BinaryMessage)
	if err != nil {
		return err
	}
	_, _ = w.Write(seq[8-k:])
	_, _ = w.Write(c.payload[k:])
	if err := w.Close(); err != nil {
		return err
	}
	typ, r, err := c.ws.NextReader()
	if err != nil {
		return err
	}
	n, err := io.ReadFull(r, c.buf)
	switch {
	case typ != websocket.BinaryMessage:
		return fmt.Errorf("a binary message came back as opcode %d", typ)
	case err == nil:
		return fmt.Errorf("a message of %d bytes came back longer", size)
	case !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF):
		return err
	case n != size:
		return fmt.Errorf("a message of %d bytes came back with %d", size, n)
	case !bytes.Equal(c.buf[:k], seq[8-k:]) || !bytes.Equal(c.buf[k:size], c.payload[k:]):
		return fmt.Errorf("a message of %d bytes came back changed", size)
	}
	return nil
}

// close says goodbye (status 1000, RFC 6455 §7.4.1) without waiting for
// the answer, and closes the connection.
func (c *echoConn) close() {
	msg := websocket.FormatCloseMessage(websocket.CloseNormalClosure, "")
	_ = c.ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(time.Second))
	_ = c.ws.Close()
}
