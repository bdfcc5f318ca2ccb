package performance

import (
	"encoding/binary"
	"fmt"
	"io"
	"slices"

	frame "github.com/wsfromtcp/workshop/solutions/04-frame-decode"
	mask "github.com/wsfromtcp/workshop/solutions/06-masking"
	message "github.com/wsfromtcp/workshop/solutions/07-messages"
	control "github.com/wsfromtcp/workshop/solutions/08-control"
)

// inbound is the state of the message being read: where its current frame
// stands, and what the message has brought so far. readMu guards it.
type inbound struct {
	inMessage bool         // a data message has begun and its last byte is not read yet
	op        frame.Opcode // the message's opcode, from its first frame
	fin       bool         // the current frame is the message's last
	left      uint64       // payload bytes of the current frame still to read
	key       [4]byte      // the current frame's masking key
	pos       int          // where in the key the next payload byte is
	size      uint64       // the message's length so far, counting the current frame whole
	text      UTF8Validator
}

// msgReader is the io.Reader that NextReader hands out: a field of the
// Conn, so that handing it out allocates nothing.
type msgReader struct{ c *Conn }

// Read reads the message's payload as it arrives: it returns the bytes
// that have come, unmasked and, for text, checked, without waiting for the
// rest of the frame, and io.EOF after the message's last byte. On a
// protocol error it fails the connection and returns the *CloseError.
func (r *msgReader) Read(p []byte) (int, error) {
	c := r.c
	c.readMu.Lock()
	defer c.readMu.Unlock()
	if c.readErr != nil {
		return 0, c.readErr
	}
	return c.read(p)
}

// NextReader waits for the next text or binary message and returns its
// opcode and a reader of its payload, which hands out the bytes as they
// arrive: a large message can be processed before its end has come. Pings,
// pongs and close frames are handled underneath, also between fragments
// (RFC 6455 §5.4), and UTF-8 is checked as text arrives, so that the first
// bad byte fails the connection with 1007 before the rest of its frame
// has come (§8.1). The reader is valid until the next call of NextReader,
// AppendMessage or ReadMessage, which first skip what is left of the
// message. When the connection ends, the error is a *CloseError, as for
// ReadMessage.
func (c *Conn) NextReader() (frame.Opcode, io.Reader, error) {
	c.readMu.Lock()
	defer c.readMu.Unlock()
	if !c.begin() {
		return 0, nil, c.readErr
	}
	return c.in.op, &c.msg, nil
}

// AppendMessage reads the next text or binary message, appends it to buf
// and returns the extended slice, in place when buf has room, as append
// does: with a buffer that is reused, message after message, reading
// allocates nothing. buf grows with the bytes that arrive, never with the
// length a header announces (RFC 6455 §10.4): a peer cannot make the server
// allocate by announcing a large message. On an error the connection has
// ended: the error is a *CloseError, as for ReadMessage.
func (c *Conn) AppendMessage(buf []byte) (frame.Opcode, []byte, error) {
	c.readMu.Lock()
	defer c.readMu.Unlock()
	if !c.begin() {
		return 0, buf, c.readErr
	}
	op := c.in.op
	for c.in.inMessage {
		if len(buf) == cap(buf) {
			// Twice what the buffer holds, at least 512 bytes: a buffer
			// grows with the data, in few steps.
			buf = slices.Grow(buf, max(cap(buf), 512))
		}
		n, err := c.read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			break // the message ended in empty frames
		}
		if err != nil {
			return 0, buf, err
		}
	}
	return op, buf, nil
}

// ReadMessage returns the next text or binary message, as step 8's does:
// the data is the caller's to keep, and no later call changes it.
func (c *Conn) ReadMessage() (frame.Opcode, []byte, error) {
	op, data, err := c.AppendMessage(nil)
	if err != nil {
		return 0, nil, err
	}
	return op, data, nil
}

// begin skips what is left of the message being read, then reads up to
// the first data frame of the next message. Data messages that arrive once
// our close frame is out are dropped, as in step 8. It reports false when
// the connection has ended. The caller holds readMu.
//
// On the way, each frame header is checked: masked (RFC 6455 §5.1),
// CheckFrame (step 8), continuations only inside a message (§5.4), the
// message limit (§10.4) judged on the announced length before any payload
// is read; a control frame goes to c.control. A broken rule fails the
// connection with c.fail, and statusFor picks the status code.
func (c *Conn) begin() bool {
	for c.readErr == nil {
		for c.in.inMessage {
			// The rest is read, not skipped blind: it is still checked.
			if _, err := c.read(c.ctrl[:]); err != nil {
				return false
			}
		}
		if !c.nextFrame() {
			return false
		}
		if !c.closing() {
			return true
		}
	}
	return false
}

// read reads payload of the message being read into p: io.EOF once the
// message is over. The caller holds readMu.
func (c *Conn) read(p []byte) (int, error) {
	for c.in.left == 0 {
		if !c.in.inMessage {
			return 0, io.EOF
		}
		if !c.nextFrame() {
			return 0, c.readErr
		}
	}
	if uint64(len(p)) > c.in.left {
		p = p[:c.in.left]
	}
	n, err := c.br.Read(p)
	p = p[:n]
	// RFC 6455 §6.2 (R-6.2-5): the server unmasks, piece by piece.
	c.in.pos = Mask(c.in.key, c.in.pos, p)
	c.in.left -= uint64(n)
	if c.in.op == frame.OpText {
		// Text is checked as it arrives: the first bad byte fails the
		// connection, while the rest of the frame is still on its way.
		// RFC 6455 §8.1, §5.6 (R-8.1-1, R-5.6-1).
		if ok, verr := c.in.text.Write(p); verr != nil {
			c.fail(verr)
			return ok, c.readErr
		}
	}
	if err != nil {
		c.fail(cutShort(err))
		return n, c.readErr
	}
	if !c.endOfFrame() {
		return n, c.readErr
	}
	return n, nil
}

// nextFrame reads frame headers until a data frame that continues the
// message, or begins one, handling control frames on the way (RFC 6455
// §5.4: they may come between fragments). It reports false when the
// connection has ended. The caller holds readMu.
func (c *Conn) nextFrame() bool {
	for c.readErr == nil {
		h, err := c.readHeader()
		if err == nil {
			err = c.check(h)
		}
		if err == nil && h.Opcode.IsControl() {
			if err = c.control(h); err == nil {
				continue
			}
		}
		if err != nil {
			c.fail(err)
			return false
		}
		if h.Opcode != frame.OpContinuation {
			c.in.inMessage, c.in.op, c.in.size = true, h.Opcode, 0
			c.in.text.Reset()
		}
		c.in.fin, c.in.left, c.in.key, c.in.pos = h.Fin, h.Length, h.Key, 0
		c.in.size += h.Length
		return c.endOfFrame()
	}
	return false
}

// readHeader reads a frame header (RFC 6455 §5.2) where it lies, in the
// reader's buffer: Peek, then Discard, so that nothing is copied and
// nothing escapes to the heap. It fails with io.EOF when the connection
// ended between frames, and like step 4's ReadHeader on a length that
// breaks the rules of §5.2.
func (c *Conn) readHeader() (frame.Header, error) {
	var h frame.Header
	p, err := c.br.Peek(2)
	if err != nil {
		if len(p) == 0 && err == io.EOF {
			return h, io.EOF // a clean end, between frames
		}
		return h, cutShort(err)
	}
	size := 2
	switch p[1] & frame.Len7Bits {
	case frame.Len16Mark:
		size += 2
	case frame.Len64Mark:
		size += 8
	}
	if p[1]&frame.MaskBit != 0 {
		size += 4
	}
	if p, err = c.br.Peek(size); err != nil {
		return h, cutShort(err)
	}
	h.Fin = p[0]&frame.FinBit != 0
	h.Rsv1 = p[0]&frame.Rsv1Bit != 0
	h.Rsv2 = p[0]&frame.Rsv2Bit != 0
	h.Rsv3 = p[0]&frame.Rsv3Bit != 0
	h.Opcode = frame.Opcode(p[0] & frame.OpcodeBits)
	h.Masked = p[1]&frame.MaskBit != 0
	h.Length = uint64(p[1] & frame.Len7Bits)
	p = p[2:]
	switch h.Length {
	case frame.Len16Mark:
		h.Length, p = uint64(binary.BigEndian.Uint16(p)), p[2:]
		if h.Length < frame.Len16Mark {
			return h, fmt.Errorf("%w: %d in 16 bits", frame.ErrNonMinimalLength, h.Length)
		}
	case frame.Len64Mark:
		h.Length, p = binary.BigEndian.Uint64(p), p[8:]
		switch {
		case h.Length>>63 != 0:
			return h, fmt.Errorf("%w: %#x", frame.ErrLengthTopBit, h.Length)
		case h.Length <= 0xFFFF:
			return h, fmt.Errorf("%w: %d in 64 bits", frame.ErrNonMinimalLength, h.Length)
		}
	}
	copy(h.Key[:], p) // when not masked, p is empty
	_, _ = c.br.Discard(size)
	return h, nil
}

// check applies the rules a frame header is judged by: masked (RFC 6455
// §5.1), step 8's CheckFrame, continuation only inside a message and only
// there (§5.4), and the message limit (§10.4), judged on the announced
// length before any byte of the payload is read.
func (c *Conn) check(h frame.Header) error {
	if !h.Masked {
		return fmt.Errorf("%w: %s frame of %d bytes", mask.ErrUnmasked, h.Opcode, h.Length)
	}
	if err := control.CheckFrame(h); err != nil || h.Opcode.IsControl() {
		return err
	}
	switch {
	case h.Opcode == frame.OpContinuation && !c.in.inMessage:
		return fmt.Errorf("%w (%d bytes, FIN %t)", message.ErrUnexpectedContinuation, h.Length, h.Fin)
	case h.Opcode != frame.OpContinuation && c.in.inMessage:
		return fmt.Errorf("%w: a %s frame inside a %s message", message.ErrExpectedContinuation, h.Opcode, c.in.op)
	}
	size := h.Length
	if h.Opcode == frame.OpContinuation {
		size += c.in.size
	}
	// RFC 6455 §10.4 (R-10.4-1, R-10.4-2): the message limit, judged on the
	// announced length before a byte of payload is read.
	if size > uint64(c.limit) || size < h.Length {
		return fmt.Errorf("%w: %s message of at least %d bytes, limit %d", message.ErrTooLarge, c.in.op, size, c.limit)
	}
	return nil
}

// endOfFrame ends the message when its last frame has been read whole: an
// open code point at the end of text is invalid (§8.1). It reports false
// when that failed the connection.
func (c *Conn) endOfFrame() bool {
	if c.in.left > 0 || !c.in.fin {
		return true
	}
	c.in.inMessage = false
	if c.in.op == frame.OpText {
		if err := c.in.text.Close(); err != nil {
			c.fail(err)
			return false
		}
	}
	return true
}
