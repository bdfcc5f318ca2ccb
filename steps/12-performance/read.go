package performance

import (
	"io"

	frame "github.com/wsfromtcp/workshop/steps/04-frame-decode"
)

// inbound is the state of the message being read: where its current frame
// stands, and what the message has brought so far. readMu guards it.
type inbound struct {
	// TODO(step 12): what reading a message piece by piece needs to know
	// between two reads: the message's opcode, whether its last frame has
	// begun, how much of the current frame is left, its key and where in
	// the key the next byte is, the message's size so far, and a
	// UTF8Validator.
}

// msgReader is the io.Reader that NextReader hands out: a field of the
// Conn, so that handing it out allocates nothing.
type msgReader struct{ c *Conn }

// Read reads the message's payload as it arrives: it returns the bytes
// that have come, unmasked and, for text, checked, without waiting for the
// rest of the frame, and io.EOF after the message's last byte. On a
// protocol error it fails the connection and returns the *CloseError.
func (r *msgReader) Read(p []byte) (int, error) {
	// TODO(step 12): under readMu, read the next bytes of the current
	// frame (moving on to the next frame of the message when it is done).
	panic("TODO(step 12): write msgReader.Read")
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
	// TODO(step 12): under readMu, begin the next message and hand out
	// c.msg.
	panic("TODO(step 12): write Conn.NextReader")
}

// AppendMessage reads the next text or binary message, appends it to buf
// and returns the extended slice, in place when buf has room, as append
// does: with a buffer that is reused, message after message, reading
// allocates nothing. buf grows with the bytes that arrive, never with the
// length a header announces (RFC 6455 §10.4): a peer cannot make the server
// allocate by announcing a large message. On an error the connection has
// ended: the error is a *CloseError, as for ReadMessage.
func (c *Conn) AppendMessage(buf []byte) (frame.Opcode, []byte, error) {
	// TODO(step 12): under readMu, begin the next message and read it into
	// the free capacity of buf, growing buf when it is full.
	panic("TODO(step 12): write Conn.AppendMessage")
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
	// TODO(step 12): read frame headers (without allocating: see what
	// go build -gcflags=-m says of step 4's ReadHeader) until a data frame
	// begins a message.
	panic("TODO(step 12): write Conn.begin")
}
