package performance

import (
	"fmt"
	"unicode/utf8"

	frame "github.com/wsfromtcp/workshop/steps/04-frame-decode"
	message "github.com/wsfromtcp/workshop/steps/07-messages"
	control "github.com/wsfromtcp/workshop/steps/08-control"
)

// outbound is what the write path reuses from frame to frame, so that a
// write allocates nothing. writeMu guards it.
type outbound struct {
	// TODO(step 12): the buffers a frame is written from.
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
	// TODO(step 12): build the header and, for a frame of up to 64 KiB,
	// the payload after it in a buffer of c.out, and make one Write.
	panic("TODO(step 12): write Conn.writeLocked")
}
