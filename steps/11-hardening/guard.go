package hardening

import (
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"time"

	frame "github.com/wsfromtcp/workshop/steps/04-frame-decode"
	encode "github.com/wsfromtcp/workshop/steps/05-frame-encode"
	control "github.com/wsfromtcp/workshop/steps/08-control"
)

// guard wraps the network connection under a step 8 Conn and watches what
// passes through it, without changing a byte: the step 8 Conn and the step
// 10 room run unchanged on top. It is given, like the step 10 room; the
// policy that uses it is yours (watch).
//
//   - Read counts the client's frames (the header of each, never the
//     payload) against a token bucket, and notes when anything last came;
//   - Write notes the server's first data frame (the welcome: the client
//     has joined) and its close frame (write nothing after it), and lets
//     Ping slip a ping frame between two whole frames;
//   - SetWriteDeadline never lets a write wait longer than WriteTimeout.
//
// It relies on step 5's rule that a frame is written in one Write call.
type guard struct {
	net.Conn
	writeTimeout time.Duration

	lastRead atomic.Int64  // UnixNano of the last byte read
	joined   atomic.Bool   // the server sent a data frame: the welcome
	flooded  chan struct{} // closed when the client sent more than its bucket allowed
	closing  chan struct{} // closed when the server starts writing its close frame
	closeOut chan struct{} // closed when that write has returned

	// Read side, used by the one goroutine that reads.
	bucket   *Bucket
	counting bool   // frames are counted once the handshake is done
	head     []byte // the part of a frame header read so far
	skip     uint64 // payload bytes of the current frame still to come
	flood    sync.Once
	held     bool // the bucket said no during this Read

	// Write side: mu makes each Write and each Ping whole.
	mu     sync.Mutex
	closed bool // a close frame went out: no ping may follow it (RFC 6455 §5.5.1)
}

func newGuard(conn net.Conn, b *Bucket, writeTimeout time.Duration) *guard {
	g := &guard{Conn: conn, writeTimeout: writeTimeout, bucket: b,
		flooded: make(chan struct{}), closing: make(chan struct{}), closeOut: make(chan struct{})}
	g.lastRead.Store(time.Now().UnixNano())
	return g
}

// floodHold bounds how long Read holds back a flood for the close frame.
const floodHold = time.Second

// Read reads from the connection, and counts the frames that came. When the
// bucket runs dry, Read holds the bytes back until the close frame has
// started (or floodHold has passed): after it, the step 8 Conn drops data,
// so no frame of the flood reaches the room once it was found out.
func (g *guard) Read(p []byte) (int, error) {
	n, err := g.Conn.Read(p)
	if n > 0 {
		g.lastRead.Store(time.Now().UnixNano())
		if g.counting {
			g.count(p[:n])
		}
		if g.held {
			g.held = false
			select {
			case <-g.closing:
			case <-time.After(floodHold):
			}
		}
	}
	return n, err
}

// startCounting counts frames from now on; buffered are the bytes already
// read past the request head (bufio holds them), which are frames too.
func (g *guard) startCounting(buffered []byte) {
	g.counting = true
	g.count(buffered)
}

// count follows the frame headers in b (RFC 6455 §5.2) and takes a token
// for each frame.
func (g *guard) count(b []byte) {
	for len(b) > 0 {
		if g.skip > 0 {
			k := min(g.skip, uint64(len(b)))
			g.skip -= k
			b = b[k:]
			continue
		}
		g.head = append(g.head, b[0])
		b = b[1:]
		if len(g.head) < 2 || len(g.head) < headerLen(g.head[1]) {
			continue
		}
		g.skip = payloadLen(g.head)
		g.head = g.head[:0]
		if !g.bucket.Allow(time.Now()) {
			g.flood.Do(func() {
				close(g.flooded)
				g.held = true
			})
		}
	}
}

// headerLen is the length of a frame header whose second byte is b1.
func headerLen(b1 byte) int {
	n := 2
	switch b1 & frame.Len7Bits {
	case frame.Len16Mark:
		n += 2
	case frame.Len64Mark:
		n += 8
	}
	if b1&frame.MaskBit != 0 {
		n += 4
	}
	return n
}

// payloadLen is the payload length in a whole frame header.
func payloadLen(h []byte) uint64 {
	n := uint64(h[1] & frame.Len7Bits)
	switch n {
	case frame.Len16Mark:
		n = uint64(h[2])<<8 | uint64(h[3])
	case frame.Len64Mark:
		n = 0
		for _, c := range h[2:10] {
			n = n<<8 | uint64(c)
		}
	}
	return n
}

// Write writes one whole frame, noting what kind it was.
func (g *guard) Write(p []byte) (int, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(p) > 0 {
		switch frame.Opcode(p[0] & frame.OpcodeBits) {
		case frame.OpText, frame.OpBinary:
			g.joined.Store(true)
		case frame.OpClose:
			if !g.closed {
				g.closed = true
				close(g.closing)
				defer close(g.closeOut)
			}
		}
	}
	return g.Conn.Write(p)
}

// errClosing: a ping was asked for after the close frame.
var errClosing = errors.New("hardening: the close frame was sent")

// Ping sends a ping frame (RFC 6455 §5.5.2) between two frames of the step
// 8 Conn, with a deadline of WriteTimeout.
func (g *guard) Ping() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return errClosing
	}
	_ = g.SetWriteDeadline(time.Time{})
	return encode.WriteFrame(g.Conn, true, frame.OpPing, nil)
}

// failWait bounds how long the close frame to a silent peer may take to go
// out: its buffers may be full, and no answer will come anyway.
const failWait = time.Second

// Fail ends the connection of a peer that stopped answering: RFC 6455
// §7.1.7, Fail the WebSocket Connection. It sends the close frame with code
// and reason through c (c.Close), gives the frame failWait to go out, and
// then closes TCP at once. c.Close alone would wait for the peer's answer
// and its FIN (step 8's closeWait, twice), which a silent peer never sends.
// Fail returns once the connection has ended.
func (g *guard) Fail(c *control.Conn, code control.StatusCode, reason string) {
	ended := make(chan struct{})
	go func() {
		_ = c.Close(code, reason)
		close(ended)
	}()
	select {
	case <-g.closing:
		// The close frame is being written: bound the write, and wait
		// for it to return.
		_ = g.Conn.SetWriteDeadline(time.Now().Add(failWait))
		<-g.closeOut
	case <-time.After(failWait):
		// Not even the close frame could start: the socket takes nothing.
	}
	g.Conn.Close()
	<-ended
}

// SetWriteDeadline sets t, or WriteTimeout from now if t is later.
func (g *guard) SetWriteDeadline(t time.Time) error {
	if limit := time.Now().Add(g.writeTimeout); t.IsZero() || t.After(limit) {
		t = limit
	}
	return g.Conn.SetWriteDeadline(t)
}

// CloseWrite sends a FIN when the connection can (TCP and TLS can): the
// step 8 Conn looks for it to close TCP as RFC 6455 §7.1.1 says.
func (g *guard) CloseWrite() error {
	if cw, ok := g.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return errors.ErrUnsupported
}

// silentSince reports whether nothing was read since t.
func (g *guard) silentSince(t time.Time) bool {
	return g.lastRead.Load() < t.UnixNano()
}
