package frame

import "errors"

// Header is the fixed part of a frame, before the payload (RFC 6455 §5.2,
// https://www.rfc-editor.org/rfc/rfc6455#section-5.2).
type Header struct {
	Fin              bool    // this is the final fragment of a message
	Rsv1, Rsv2, Rsv3 bool    // reserved for extensions; zero unless one was negotiated
	Opcode           Opcode  // how to interpret the payload
	Masked           bool    // the payload is XORed with Key (every client frame is)
	Length           uint64  // payload length in bytes
	Key              [4]byte // masking key, meaningful when Masked
}

// Frame is a header and its payload exactly as it was on the wire: still
// masked if Masked.
type Frame struct {
	Header
	Payload []byte
}

// Errors that ReadHeader and ReadFrame return, wrapped with context; test
// for them with errors.Is.
var (
	// ErrLengthTopBit: RFC 6455 §5.2 says of the 64-bit length that "the
	// most significant bit MUST be 0".
	ErrLengthTopBit = errors.New("frame: 64-bit payload length has its most significant bit set")
	// ErrNonMinimalLength: RFC 6455 §5.2 says "the minimal number of bytes
	// MUST be used to encode the length", so a 16-bit length below 126 or a
	// 64-bit length below 65536 is a protocol error.
	ErrNonMinimalLength = errors.New("frame: payload length not in its shortest form")
	// ErrTooLarge: the header announces more payload than the caller's limit.
	ErrTooLarge = errors.New("frame: payload larger than the limit")
)
