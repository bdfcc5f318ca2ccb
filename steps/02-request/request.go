// Package request is step 2 of the workshop: it reads the head of an
// HTTP/1.1 request (the request line and the header fields) from a
// *bufio.Reader, as a WebSocket server must before it can answer the
// opening handshake.
//
// A WebSocket connection opens with an HTTP/1.1 GET request (RFC 6455 §1.3,
// https://www.rfc-editor.org/rfc/rfc6455#section-1.3, and §4.1). Its syntax
// is HTTP's: RFC 9112 §2 (https://www.rfc-editor.org/rfc/rfc9112#section-2)
// for the message, §3 for the request line and §5 for field lines.
// Chapter: docs/02-request.md. Check your work with: make step2
package request

import (
	"bufio"
	"errors"
)

// MaxHeadBytes bounds the request head: the request line and every field
// line, their line endings, and the empty line that ends the head. A server
// that read until the blank line without a limit would let one client make
// it buffer without end; real browsers send well under 2 KiB.
const MaxHeadBytes = 8 << 10

// Errors for malformed input. The error returned wraps one of them, with
// the offending line quoted, so that callers can test with errors.Is and
// people can read what was wrong.
var (
	ErrRequestLine  = errors.New("request: malformed request line")
	ErrHeaderLine   = errors.New("request: malformed header line")
	ErrHeadTooLarge = errors.New("request: request head too large")
)

// Request is the head of an HTTP/1.1 request.
type Request struct {
	Method     string // "GET"
	Target     string // the request-target as sent, e.g. "/chat"
	Proto      string // "HTTP/1.1"
	ProtoMajor int
	ProtoMinor int
	Header     Header
}

// ReadRequest reads a request head from br and leaves every byte after it
// unread in br: on a WebSocket connection those bytes are the client's
// first frames.
//
// It returns io.EOF when the client closed the connection before sending
// anything, io.ErrUnexpectedEOF when the head was cut short, and an error
// wrapping ErrRequestLine, ErrHeaderLine or ErrHeadTooLarge for bad input.
func ReadRequest(br *bufio.Reader) (*Request, error) {
	// TODO(step 2): read the request line, then header lines until an empty
	// line, counting every byte against MaxHeadBytes. Reject malformed lines
	// with the errors above, and stop exactly after the empty line.
	panic("TODO(step 2): write ReadRequest")
}
