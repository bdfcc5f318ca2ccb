package control

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	frame "github.com/wsfromtcp/workshop/solutions/04-frame-decode"
	encode "github.com/wsfromtcp/workshop/solutions/05-frame-encode"
	mask "github.com/wsfromtcp/workshop/solutions/06-masking"
	message "github.com/wsfromtcp/workshop/solutions/07-messages"
)

// MaxMessageSize is the default limit on a message, summed over its
// fragments (RFC 6455 §10.4): large enough for any chat or echo test, small
// enough that a client cannot make the server hold a gigabyte.
const MaxMessageSize = 16 << 20

// writeWait bounds every write: a client that stops reading fills the TCP
// buffers, and a write without a deadline would then block forever while
// holding the write lock, so that nothing else could be sent either.
const writeWait = 10 * time.Second

// closeWait bounds how long the server waits for the client's answer to its
// close frame, and for the client to close TCP after that, before it closes
// TCP anyway: a client that never answers must not keep a goroutine. It is
// a variable only so that a check can shorten its wait.
var closeWait = 2 * time.Second

// ErrClosed is returned by WriteMessage once a close frame has been sent:
// RFC 6455 §5.5.1 says that after it, the endpoint "MUST NOT send any more
// data frames".
var ErrClosed = errors.New("control: connection is closed")

// Conn is a WebSocket connection after the opening handshake, on the server
// side. One goroutine at a time may call ReadMessage; WriteMessage and Close
// may be called from any number of goroutines.
type Conn struct {
	conn  net.Conn
	br    *bufio.Reader // the handshake's reader, which may already hold frames
	limit int
	msgs  *message.Reader

	// readMu is held by whoever reads frames: ReadMessage, or Close when it
	// waits for the client's answer itself. readErr, guarded by it, is how
	// the connection ended; once set, every read returns it.
	readMu  sync.Mutex
	readErr *CloseError
	ended   chan struct{} // closed when readErr is set, for Close to wait on

	// writeMu makes "nothing was closed yet, set the deadline, write the
	// whole frame" one step, so that frames never interleave and nothing
	// follows a close frame. closeSent changes only under writeMu; it is
	// atomic so that the reader can look at it without waiting behind a
	// slow write.
	writeMu   sync.Mutex
	closeSent atomic.Bool // a close frame was sent, or the connection broke: write nothing more
}

// NewConn wraps a connection whose opening handshake has succeeded; br is
// the reader the handshake used, since it may already hold the first
// frames.
func NewConn(conn net.Conn, br *bufio.Reader) *Conn {
	c := &Conn{conn: conn, br: br, ended: make(chan struct{})}
	c.SetMaxMessageSize(MaxMessageSize)
	return c
}

// SetMaxMessageSize sets the largest message ReadMessage accepts; a longer
// one fails the connection with StatusMessageTooBig (RFC 6455 §7.4.1). Call
// it before the first ReadMessage.
func (c *Conn) SetMaxMessageSize(n int) {
	c.limit = n
	c.msgs = message.NewReader(c.readFrame, n)
}

// readFrame is the FrameSource of the message reader: one unmasked client
// frame that passed CheckFrame.
func (c *Conn) readFrame() (*frame.Frame, error) {
	// The frame limit is the message limit, but never below 125: a legal
	// ping must not fail as too big.
	f, err := mask.ReadClientFrame(c.br, uint64(max(c.limit, frame.MaxControlPayload)))
	if err != nil {
		return nil, err
	}
	// RFC 6455 §10.7 (R-10.7-1): every frame is validated before it is used.
	if err := CheckFrame(f.Header); err != nil {
		return nil, err
	}
	return f, nil
}

// ReadMessage returns the next text or binary message. Underneath, it
// answers pings with pongs, ignores pongs, and runs the closing handshake.
// When the connection ends it returns a *CloseError: the client's close
// code and reason; the code the connection was failed with, with the cause
// in Err; or StatusAbnormalClosure when TCP broke without a close frame.
// Every later call returns the same error. The data is the caller's to
// keep: no later call changes it (step 9 hands one slice to every client).
func (c *Conn) ReadMessage() (frame.Opcode, []byte, error) {
	c.readMu.Lock()
	defer c.readMu.Unlock()
	msg := c.next()
	if msg == nil {
		return 0, nil, c.readErr
	}
	return msg.Opcode, msg.Data, nil
}

// next reads until a data message arrives, or returns nil when the
// connection has ended. The caller holds readMu.
func (c *Conn) next() *message.Message {
	// RFC 6455 §7.1.7 (R-7.1.7-3): once the connection is failed, nothing more is read.
	for c.readErr == nil {
		msg, ctrl, err := c.msgs.Next()
		switch {
		case err != nil:
			c.fail(err)
		// RFC 6455 §6.2 (R-6.2-2): control frames are handled as §5.5 says.
		case ctrl != nil:
			c.control(ctrl)
		case c.closing():
			// Our close frame is out and we wait for the answer: data that
			// crossed it is dropped (§1.4: a peer "may" send data after us).
		default:
			return msg
		}
	}
	return nil
}

// control handles a control frame. CheckFrame has ruled out reserved
// opcodes and control frames that are long or fragmented.
func (c *Conn) control(f *frame.Frame) {
	switch f.Opcode {
	case frame.OpPing:
		// RFC 6455 §5.5.3: the pong "MUST have identical 'Application
		// data' as found in the message body of the Ping frame". After our
		// close frame no pong may be sent; write refuses it then.
		// RFC 6455 §5.5.2, §5.5.3 (R-5.5.2-1, R-5.5.3-1, R-5.5.2-2): a pong with the ping's data, at once.
		_ = c.write(frame.OpPong, f.Payload)
	// RFC 6455 §5.5.3 (R-5.5.3-3): an unsolicited pong is fine, and gets no answer.
	case frame.OpPong:
		// An unsolicited pong is a heartbeat: "A response to an
		// unsolicited Pong frame is not expected" (§5.5.3).
	case frame.OpClose:
		code, reason, err := ParseClose(f.Payload)
		if err != nil {
			c.fail(err)
			return
		}
		// §5.5.1: answer with a close frame unless we already sent one,
		// echoing the code; an empty close gets an empty answer, since its
		// code, 1005, may not be sent. Then close TCP: the server does it
		// first (§7.1.1).
		// RFC 6455 §5.5.1 (R-5.5.1-4, R-5.5.1-5, R-5.5.1-6, R-5.5.1-7): a close is answered with a close at once, then the server closes TCP immediately.
		_ = c.sendClose(code, "")
		c.closeTCP()
		c.end(&CloseError{Code: code, Reason: reason})
	}
}

// fail fails the connection for err (RFC 6455 §7.1.7): send a close frame
// with the status code err calls for, then close TCP. A connection that is
// already broken gets no close frame: there is nobody left to read it.
func (c *Conn) fail(err error) {
	code := statusFor(err)
	if code == StatusAbnormalClosure {
		c.markClosed()
		c.conn.Close()
		c.end(&CloseError{Code: code, Err: err})
		return
	}
	// The reason is for debugging only (§5.5.1); the error's text says what
	// was wrong, and ClosePayload cuts it to fit.
	reason := strings.ToValidUTF8(err.Error(), "?")
	// RFC 6455 §7.1.7, §10.7 (R-7.1.7-2, R-10.7-3): a close frame with the status code first.
	_ = c.sendClose(code, reason)
	// RFC 6455 §7.1.7 (R-7.1.7-1): then the server closes TCP.
	c.closeTCP()
	c.end(&CloseError{Code: code, Reason: reason, Err: err})
}

// end records how the connection ended; the caller holds readMu and has
// closed TCP.
func (c *Conn) end(err *CloseError) {
	c.readErr = err
	close(c.ended)
}

// statusFor maps a read error to the status code RFC 6455 §7.4.1 gives it.
// RFC 6455 §7.4.1 (R-7.4.1-1): the predefined status codes.
func statusFor(err error) StatusCode {
	switch {
	// RFC 6455 §8.1 (R-8.1-1): invalid UTF-8 fails the connection with 1007.
	case errors.Is(err, message.ErrInvalidUTF8):
		return StatusInvalidPayloadData
	case errors.Is(err, frame.ErrTooLarge), errors.Is(err, message.ErrTooLarge):
		return StatusMessageTooBig
	// RFC 6455 §5.1 (R-5.1-2, R-5.1-1): an unmasked frame fails the connection with 1002.
	case errors.Is(err, mask.ErrUnmasked),
		errors.Is(err, frame.ErrLengthTopBit),
		errors.Is(err, frame.ErrNonMinimalLength),
		errors.Is(err, ErrReservedBits),
		errors.Is(err, ErrReservedOpcode),
		errors.Is(err, ErrControlTooLong),
		errors.Is(err, ErrControlFragmented),
		errors.Is(err, ErrClosePayload),
		errors.Is(err, message.ErrUnexpectedContinuation),
		errors.Is(err, message.ErrExpectedContinuation):
		return StatusProtocolError
	}
	// io.EOF, a reset, a timeout: the connection is gone.
	return StatusAbnormalClosure
}

// WriteMessage sends data as one text or binary message; any other opcode
// is an error (control frames are the Conn's own business). Text must be
// valid UTF-8, or the client would fail the connection with 1007 (§8.1):
// invalid text is refused with an error wrapping message.ErrInvalidUTF8.
// After a close frame was sent it returns ErrClosed.
func (c *Conn) WriteMessage(op frame.Opcode, data []byte) error {
	switch {
	// RFC 6455 §6.1 (R-6.1-4): a message is sent as text or binary.
	case op != frame.OpText && op != frame.OpBinary:
		return fmt.Errorf("control: WriteMessage sends text or binary messages, not %s", op)
	// RFC 6455 §5.6 (R-5.6-1): text sent is valid UTF-8.
	case op == frame.OpText && !utf8.Valid(data):
		return fmt.Errorf("control: WriteMessage: %w", message.ErrInvalidUTF8)
	}
	return c.write(op, data)
}

// Close starts the closing handshake (RFC 6455 §7.1.2): it sends a close
// frame with code and reason (cut to fit in 123 bytes), after which nothing
// more is sent. Someone must read the client's answer: a running
// ReadMessage does; if there is none, Close reads it itself. Either way
// Close returns once the connection has ended, so that a server shutting
// down can close TCP after it without cutting the handshake short; the
// wait is bounded by closeWait for the answer and closeWait for the
// client's FIN, after which TCP is closed regardless. Closing a connection
// that is already closing does nothing. A code that ValidOnWire refuses
// (1005, 1006, 1015, …) is an error, and nothing is sent.
func (c *Conn) Close(code StatusCode, reason string) error {
	// RFC 6455 §7.4.1 (R-7.4.1-3, R-7.4.1-4, R-7.4.1-5): a code that may not be sent is refused.
	if !code.ValidOnWire() {
		return fmt.Errorf("control: status %s may not be sent in a close frame (RFC 6455 §7.4.1)", code)
	}
	// RFC 6455 §7.1.2, §7.3 (R-7.1.2-1, R-7.3-1): a close frame with the code and the reason.
	err := c.sendClose(code, reason)
	if errors.Is(err, ErrClosed) {
		return nil
	}
	_ = c.conn.SetReadDeadline(time.Now().Add(closeWait))
	// RFC 6455 §7.1.2 (R-7.1.2-2): read the answer, then close TCP.
	if c.readMu.TryLock() {
		for c.next() != nil {
		}
		c.readMu.Unlock()
		return err
	}
	// A ReadMessage is running, and its read now has a deadline: it reads
	// the answer and ends the connection. If it returned without that (its
	// caller stopped reading), close TCP here.
	select {
	case <-c.ended:
	case <-time.After(2 * closeWait):
		c.markClosed()
		c.conn.Close()
	}
	return err
}

// closing reports whether a close frame has been sent.
func (c *Conn) closing() bool { return c.closeSent.Load() }

// markClosed forbids all further writes.
func (c *Conn) markClosed() {
	c.writeMu.Lock()
	c.closeSent.Store(true)
	c.writeMu.Unlock()
}

// write sends one whole frame, unless a close frame went first.
func (c *Conn) write(op frame.Opcode, payload []byte) error {
	// RFC 6455 §5.4 (R-5.4-4): one whole message per frame, under the lock: messages never interleave.
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	// RFC 6455 §5.5.1, §6.1 (R-5.5.1-3, R-6.1-1, R-6.1-2): nothing is sent after a close frame.
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
	return c.writeLocked(frame.OpClose, ClosePayload(code, reason))
}

// writeLocked writes a frame with a deadline; the caller holds writeMu.
func (c *Conn) writeLocked(op frame.Opcode, payload []byte) error {
	_ = c.conn.SetWriteDeadline(time.Now().Add(writeWait))
	// RFC 6455 §6.1 (R-6.1-5): a message's only frame has FIN set.
	if err := encode.WriteFrame(c.conn, true, op, payload); err != nil {
		// Part of the frame may be out: nothing sent after it could be
		// understood, so the connection is over.
		c.closeSent.Store(true)
		c.conn.Close()
		return fmt.Errorf("control: write %s frame: %w", op, err)
	}
	return nil
}

// closeTCP closes the connection the way RFC 6455 §7.1.1 suggests: shut
// down our side (a FIN, not a reset), read and drop what the client still
// sends until it closes too, bounded by closeWait, and only then close.
// Closing with unread bytes would make the kernel answer with a reset,
// which may destroy the close frame before the client reads it.
func (c *Conn) closeTCP() {
	c.markClosed()
	// RFC 6455 §7.1.1 (R-7.1.1-1, R-7.1.1-3, R-7.1.1-4): a FIN first, trailing bytes read and dropped.
	if cw, ok := c.conn.(interface{ CloseWrite() error }); ok && cw.CloseWrite() == nil {
		_ = c.conn.SetReadDeadline(time.Now().Add(closeWait))
		_, _ = io.Copy(io.Discard, c.br)
	}
	c.conn.Close()
}
