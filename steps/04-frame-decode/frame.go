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

// The bits of a header's first two bytes, and the marks of its 7-bit
// length (RFC 6455 §5.2). Byte 0 holds FIN, RSV1–3 and the opcode; byte 1
// holds MASK and the 7-bit payload length, which is the length itself up to
// MaxLen7 and otherwise says which longer form follows. ReadHeader takes
// them out of a header and step 5's AppendHeader puts them in: b0&FinBit is
// FIN, b1&Len7Bits the 7-bit length.
const (
	FinBit     = 0x80 // byte 0: the final fragment of a message
	Rsv1Bit    = 0x40 // byte 0: reserved for an extension, as are RSV2 and RSV3
	Rsv2Bit    = 0x20
	Rsv3Bit    = 0x10
	OpcodeBits = 0x0F // byte 0: the opcode, the low four bits
	MaskBit    = 0x80 // byte 1: the payload is masked, and a key follows the length
	Len7Bits   = 0x7F // byte 1: the 7-bit payload length, the low seven bits
	MaxLen7    = 125  // the largest length that the 7 bits hold themselves
	Len16Mark  = 126  // the 7-bit length says: a 16-bit length follows
	Len64Mark  = 127  // the 7-bit length says: a 64-bit length follows
)

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
