// Package performance is step 12 of the workshop: a Conn with step 8's
// behaviour, made fast. It hands out a message's payload as it arrives
// (NextReader) or appends it to the caller's buffer (AppendMessage), so
// that an echo server allocates nothing per message; buffers grow with the
// bytes received, never with a length a header announces; text is checked
// as UTF-8 as it arrives, so that garbage fails the connection at its first
// bad byte; a frame leaves in one write; and masking works on 8 bytes at a
// time.
//
// Yours to write: Mask (mask.go), the UTF8Validator (utf8.go), the read
// path (read.go), writeLocked (write.go) and Echo (serve.go). The rest,
// step 8's closing handshake and status codes, comes written: read it to
// see what your read path calls (c.control, c.fail) and what calls it
// (Close calls c.begin).
//
// Read RFC 6455 §5.2 Base Framing Protocol
// (https://www.rfc-editor.org/rfc/rfc6455#section-5.2), §5.3
// Client-to-Server Masking (https://www.rfc-editor.org/rfc/rfc6455#section-5.3),
// §5.4 Fragmentation (https://www.rfc-editor.org/rfc/rfc6455#section-5.4),
// §8.1 Handling Errors in UTF-8-Encoded Data
// (https://www.rfc-editor.org/rfc/rfc6455#section-8.1) and §10.4
// Implementation-Specific Limits
// (https://www.rfc-editor.org/rfc/rfc6455#section-10.4).
// Chapter: docs/12-performance.md.
package performance

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

	frame "github.com/wsfromtcp/workshop/steps/04-frame-decode"
	mask "github.com/wsfromtcp/workshop/steps/06-masking"
	message "github.com/wsfromtcp/workshop/steps/07-messages"
	control "github.com/wsfromtcp/workshop/steps/08-control"
)

// StatusCode and CloseError are step 8's: a fast Conn ends the way a step 8
// Conn does (RFC 6455 §7.4).
type (
	StatusCode = control.StatusCode
	CloseError = control.CloseError
)

// The status codes of RFC 6455 §7.4.1 and the IANA registry, step 8's.
const (
	StatusNormalClosure      = control.StatusNormalClosure
	StatusGoingAway          = control.StatusGoingAway
	StatusProtocolError      = control.StatusProtocolError
	StatusUnsupportedData    = control.StatusUnsupportedData
	StatusNoStatusReceived   = control.StatusNoStatusReceived
	StatusAbnormalClosure    = control.StatusAbnormalClosure
	StatusInvalidPayloadData = control.StatusInvalidPayloadData
	StatusPolicyViolation    = control.StatusPolicyViolation
	StatusMessageTooBig      = control.StatusMessageTooBig
	StatusMandatoryExtension = control.StatusMandatoryExtension
	StatusInternalError      = control.StatusInternalError
	StatusServiceRestart     = control.StatusServiceRestart
	StatusTryAgainLater      = control.StatusTryAgainLater
	StatusBadGateway         = control.StatusBadGateway
	StatusTLSHandshake       = control.StatusTLSHandshake
)

// MaxMessageSize is the default limit on a message, summed over its
// fragments (RFC 6455 §10.4), as in step 8.
const MaxMessageSize = control.MaxMessageSize

// ErrClosed is returned by WriteMessage once a close frame has been sent
// (RFC 6455 §5.5.1): step 8's, so that errors.Is finds it either way.
var ErrClosed = control.ErrClosed

// writeWait bounds every write, as in step 8.
const writeWait = 10 * time.Second

// closeWait bounds the closing handshake, as in step 8. It is a variable
// only so that a check can shorten its wait.
var closeWait = 2 * time.Second

// Conn is a WebSocket connection after the opening handshake, on the server
// side, with the behaviour of step 8's Conn. One goroutine at a time may
// read (ReadMessage, AppendMessage, NextReader and the reader it returns);
// WriteMessage and Close may be called from any number of goroutines.
type Conn struct {
	conn  net.Conn
	br    *bufio.Reader // the handshake's reader, which may already hold frames
	limit int

	// readMu is held by whoever reads frames. readErr, guarded by it, is
	// how the connection ended; once set, every read returns it.
	readMu  sync.Mutex
	readErr *CloseError
	ended   chan struct{} // closed when readErr is set, for Close to wait on
	in      inbound       // the message being read
	msg     msgReader     // the io.Reader that NextReader hands out
	ctrl    [frame.MaxControlPayload]byte

	// writeMu makes "nothing was closed yet, set the deadline, write the
	// whole frame" one step, as in step 8; it also guards the buffers.
	writeMu   sync.Mutex
	closeSent atomic.Bool // a close frame was sent, or the connection broke: write nothing more
	out       outbound
}

// NewConn wraps a connection whose opening handshake has succeeded; br is
// the reader the handshake used, since it may already hold the first
// frames.
func NewConn(conn net.Conn, br *bufio.Reader) *Conn {
	c := &Conn{conn: conn, br: br, limit: MaxMessageSize, ended: make(chan struct{})}
	c.msg.c = c
	return c
}

// SetMaxMessageSize sets the largest message the Conn accepts, summed over
// its fragments; a longer one fails the connection with StatusMessageTooBig
// (RFC 6455 §7.4.1, §10.4) as soon as a header announces it. Call it
// before the first read.
func (c *Conn) SetMaxMessageSize(n int) { c.limit = n }

// Close starts the closing handshake (RFC 6455 §7.1.2) exactly as step 8's
// Close does: it sends a close frame with code and reason (cut to fit),
// makes sure the client's answer is read (by a running read, or by Close
// itself), and returns once the connection has ended, within closeWait for
// the answer and closeWait for the client's FIN. Closing a connection that
// is already closing does nothing; a code that ValidOnWire refuses is an
// error, and nothing is sent.
func (c *Conn) Close(code StatusCode, reason string) error {
	if !code.ValidOnWire() {
		return fmt.Errorf("performance: status %s may not be sent in a close frame (RFC 6455 §7.4.1)", code)
	}
	err := c.sendClose(code, reason)
	if errors.Is(err, ErrClosed) {
		return nil
	}
	_ = c.conn.SetReadDeadline(time.Now().Add(closeWait))
	if c.readMu.TryLock() {
		for c.begin() {
		}
		c.readMu.Unlock()
		return err
	}
	// A read is running, and now has a deadline: it reads the answer and
	// ends the connection. If it returned without that, close TCP here.
	select {
	case <-c.ended:
	case <-time.After(2 * closeWait):
		c.markClosed()
		c.conn.Close()
	}
	return err
}

// control handles a control frame whose header h passed CheckFrame: it
// reads the payload (at most 125 bytes) into c.ctrl, answers a ping,
// ignores a pong, and answers a close and closes TCP. The caller holds
// readMu.
func (c *Conn) control(h frame.Header) error {
	p := c.ctrl[:h.Length]
	if _, err := io.ReadFull(c.br, p); err != nil {
		return cutShort(err)
	}
	Mask(h.Key, 0, p)
	switch h.Opcode {
	case frame.OpPing:
		// RFC 6455 §5.5.3: the pong carries the ping's payload. After our
		// close frame, write refuses it.
		_ = c.write(frame.OpPong, p)
	case frame.OpClose:
		code, reason, err := control.ParseClose(p)
		if err != nil {
			return err
		}
		// §5.5.1: answer with a close frame unless one went out already,
		// then close TCP: the server does it first (§7.1.1).
		_ = c.sendClose(code, "")
		c.closeTCP()
		c.end(&CloseError{Code: code, Reason: reason})
	}
	return nil
}

// fail fails the connection for err (RFC 6455 §7.1.7): a close frame with
// the status code err calls for, then TCP closed. A broken connection gets
// no close frame. The caller holds readMu.
func (c *Conn) fail(err error) {
	code := statusFor(err)
	if code == StatusAbnormalClosure {
		c.markClosed()
		c.conn.Close()
		c.end(&CloseError{Code: code, Err: err})
		return
	}
	reason := strings.ToValidUTF8(err.Error(), "?")
	_ = c.sendClose(code, reason)
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
func statusFor(err error) StatusCode {
	switch {
	case errors.Is(err, message.ErrInvalidUTF8):
		return StatusInvalidPayloadData
	case errors.Is(err, message.ErrTooLarge):
		return StatusMessageTooBig
	case errors.Is(err, mask.ErrUnmasked),
		errors.Is(err, frame.ErrLengthTopBit),
		errors.Is(err, frame.ErrNonMinimalLength),
		errors.Is(err, control.ErrReservedBits),
		errors.Is(err, control.ErrReservedOpcode),
		errors.Is(err, control.ErrControlTooLong),
		errors.Is(err, control.ErrControlFragmented),
		errors.Is(err, control.ErrClosePayload),
		errors.Is(err, message.ErrUnexpectedContinuation),
		errors.Is(err, message.ErrExpectedContinuation):
		return StatusProtocolError
	}
	// io.EOF, a reset, a timeout: the connection is gone.
	return StatusAbnormalClosure
}

// closing reports whether a close frame has been sent.
func (c *Conn) closing() bool { return c.closeSent.Load() }

// markClosed forbids all further writes.
func (c *Conn) markClosed() {
	c.writeMu.Lock()
	c.closeSent.Store(true)
	c.writeMu.Unlock()
}

// closeTCP closes the connection as step 8 does (RFC 6455 §7.1.1): a FIN
// first, then what the client still sends is read and dropped until it
// closes too, bounded by closeWait, and only then the socket is closed, so
// that no reset destroys our close frame.
func (c *Conn) closeTCP() {
	c.markClosed()
	if cw, ok := c.conn.(interface{ CloseWrite() error }); ok && cw.CloseWrite() == nil {
		_ = c.conn.SetReadDeadline(time.Now().Add(closeWait))
		_, _ = io.Copy(io.Discard, c.br)
	}
	c.conn.Close()
}

// cutShort reports a read that failed inside a frame: running out of input
// there is never a clean end.
func cutShort(err error) error {
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("performance: reading a frame: %w", err)
}
