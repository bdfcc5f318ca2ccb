// Package frame is step 4 of the workshop: it reads WebSocket frames, the
// unit in which both sides send everything once the handshake is done.
//
// Read RFC 6455 §5.2 Base Framing Protocol
// (https://www.rfc-editor.org/rfc/rfc6455#section-5.2) and the examples of
// §5.7 (https://www.rfc-editor.org/rfc/rfc6455#section-5.7).
// Chapter: docs/04-frame-decode.md. Check your work with: make step4
package frame

import (
	"bufio"
)

// ReadHeader reads a frame header: two bytes, then the extended payload
// length if there is one, then the masking key if the frame is masked (RFC
// 6455 §5.2). It fails with io.EOF when no byte at all could be read (the
// peer is gone between frames), with io.ErrUnexpectedEOF when the header is
// cut short, and with an error wrapping ErrLengthTopBit or
// ErrNonMinimalLength when the length breaks the rules of §5.2.
func ReadHeader(br *bufio.Reader) (Header, error) {
	// TODO(step 4): read the first two bytes (FIN, RSV1–3, opcode; MASK and
	// the 7-bit length: frame.go names their bits), then the 16- or 64-bit
	// length when the 7-bit one says Len16Mark or Len64Mark, then the 4-byte
	// key when MASK is set. Reject lengths that are not in their shortest
	// form or have the top bit set.
	panic("TODO(step 4): write ReadHeader")
}

// ReadFrame reads a header and its payload. A Length above limit fails with
// an error wrapping ErrTooLarge before any payload is read or allocated (a
// peer must not make the server allocate 2^63 bytes). A payload cut short
// fails with io.ErrUnexpectedEOF. The payload is returned as it was on the
// wire, still masked when the frame is, in a new slice that the caller owns:
// a later ReadFrame never writes into it.
func ReadFrame(br *bufio.Reader, limit uint64) (*Frame, error) {
	// TODO(step 4): read the header, check its Length against limit, then
	// read exactly Length bytes of payload.
	panic("TODO(step 4): write ReadFrame")
}
