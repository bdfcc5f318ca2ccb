package performance

import (
	"fmt"
	"net"
	"time"
	"unicode/utf8"

	frame "github.com/wsfromtcp/workshop/solutions/04-frame-decode"
	encode "github.com/wsfromtcp/workshop/solutions/05-frame-encode"
	message "github.com/wsfromtcp/workshop/solutions/07-messages"
	control "github.com/wsfromtcp/workshop/solutions/08-control"
)

// maxHeader is the longest header a server sends: 2 bytes and a 64-bit
// length, no key (RFC 6455 §5.2).
const maxHeader = 2 + 8

// maxCopy is the largest payload that is copied behind its header, so that
// the frame leaves in one Write. A longer one goes out as it is, header
// and payload handed to the kernel together (net.Buffers, one writev
// system call on TCP), since copying megabytes costs more than it saves.
const maxCopy = 64 << 10

// outbound is what the write path reuses from frame to frame, so that a
// write allocates nothing. writeMu guards it.
type outbound struct {
	buf  []byte      // header and payload of a small frame
	iov  [2][]byte   // header and payload of a large frame
	bufs net.Buffers // iov, as the net package takes it

	deadline time.Time // the write deadline last set
}

// WriteMessage sends data as one text or binary message, as step 8's does:
// any other opcode is an error, text must be valid UTF-8 (§8.1), and after
// a close frame it returns ErrClosed. A frame of up to 64 KiB leaves in a
// single Write on the net.Conn, header and payload together, and nothing
// is allocated; concurrent calls never interleave their frames.
func (c *Conn) WriteMessage(op frame.Opcode, data []byte) error {
	switch {
	case op != frame.OpText && op != frame.OpBinary:
		return fmt.Errorf("performance: WriteMessage sends text or binary messages, not %s", op)
	case op == frame.OpText && !utf8.Valid(data):
		return fmt.Errorf("performance: WriteMessage: %w", message.ErrInvalidUTF8)
	}
	return c.write(op, data)
}

// write sends one whole frame, unless a close frame went first.
func (c *Conn) write(op frame.Opcode, payload []byte) error {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	if c.closeSent.Load() {
		return ErrClosed
	}
	return c.writeLocked(op, payload)
}

// sendClose sends a close frame, or returns ErrClosed when one was sent.
func (c *Conn) sendClose(code StatusCode, reason string) error {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	if c.closeSent.Load() {
		return ErrClosed
	}
	c.closeSent.Store(true)
	return c.writeLocked(frame.OpClose, control.ClosePayload(code, reason))
}

// writeLocked writes one unmasked frame (RFC 6455 §5.1, §5.2) with a
// deadline of writeWait; the caller holds writeMu. When the write fails,
// part of the frame may be out, so the connection is over: it sets
// closeSent and closes the net.Conn.
func (c *Conn) writeLocked(op frame.Opcode, payload []byte) error {
	o := &c.out
	// Setting a deadline costs a trip through the runtime's timers: renew
	// it only when less than half of writeWait is left, so that every write
	// still has between writeWait/2 and writeWait to finish.
	if now := time.Now(); o.deadline.Sub(now) < writeWait/2 {
		o.deadline = now.Add(writeWait)
		_ = c.conn.SetWriteDeadline(o.deadline)
	}
	o.buf = encode.AppendHeader(o.buf[:0], frame.Header{Fin: true, Opcode: op, Length: uint64(len(payload))})
	var err error
	if len(payload) <= maxCopy {
		o.buf = append(o.buf, payload...)
		_, err = c.conn.Write(o.buf)
	} else {
		o.iov = [2][]byte{o.buf, payload}
		o.bufs = o.iov[:]
		_, err = o.bufs.WriteTo(c.conn)
		o.iov = [2][]byte{} // keep no reference to the caller's data
	}
	if err != nil {
		// Part of the frame may be out: nothing sent after it could be
		// understood, so the connection is over.
		c.closeSent.Store(true)
		c.conn.Close()
		return fmt.Errorf("performance: write %s frame: %w", op, err)
	}
	return nil
}
