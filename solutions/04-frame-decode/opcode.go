package frame

import "fmt"

// Opcode is the 4-bit frame type (RFC 6455 §5.2, §11.8): it says how to
// interpret the payload.
type Opcode byte

// The opcodes that RFC 6455 defines. 0x3–0x7 are reserved for further data
// frames and 0xB–0xF for further control frames.
const (
	OpContinuation Opcode = 0x0 // a later fragment of a fragmented message
	OpText         Opcode = 0x1 // the first frame of a UTF-8 text message
	OpBinary       Opcode = 0x2 // the first frame of a binary message
	OpClose        Opcode = 0x8 // a control frame: the closing handshake
	OpPing         Opcode = 0x9 // a control frame: are you there?
	OpPong         Opcode = 0xA // a control frame: the answer to a ping
)

// MaxControlPayload is the largest payload a control frame may carry (RFC
// 6455 §5.5, https://www.rfc-editor.org/rfc/rfc6455#section-5.5): "All
// control frames MUST have a payload length of 125 bytes or less".
const MaxControlPayload = 125

// String names the opcode: "continuation", "text", "binary", "close",
// "ping", "pong", and for any other value "reserved" and the value in hex,
// such as "reserved 0x3".
func (o Opcode) String() string {
	switch o {
	case OpContinuation:
		return "continuation"
	case OpText:
		return "text"
	case OpBinary:
		return "binary"
	case OpClose:
		return "close"
	case OpPing:
		return "ping"
	case OpPong:
		return "pong"
	}
	// byte(o): %x on an Opcode would call this very method again.
	return fmt.Sprintf("reserved %#x", byte(o))
}

// IsControl reports whether frames with this opcode are control frames:
// those whose opcode has its most significant bit set, 0x8 to 0xF (RFC 6455
// §5.5, https://www.rfc-editor.org/rfc/rfc6455#section-5.5).
func (o Opcode) IsControl() bool {
	return o&0x8 != 0
}

// IsReserved reports whether RFC 6455 §5.2 leaves the opcode undefined:
// 0x3–0x7 (future data frames) and 0xB–0xF (future control frames).
func (o Opcode) IsReserved() bool {
	// Anything that is not one of the six defined opcodes, which also
	// covers values that do not fit in 4 bits and so never came off the wire.
	switch o {
	case OpContinuation, OpText, OpBinary, OpClose, OpPing, OpPong:
		return false
	}
	return true
}
