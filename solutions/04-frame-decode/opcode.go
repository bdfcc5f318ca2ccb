package frame

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
	// TODO(step 4): name the six opcodes of RFC 6455 §5.2; any other value
	// is "reserved 0x3", "reserved 0xb"…
	panic("TODO(step 4): write Opcode.String")
}

// IsControl reports whether frames with this opcode are control frames:
// those whose opcode has its most significant bit set, 0x8 to 0xF (RFC 6455
// §5.5, https://www.rfc-editor.org/rfc/rfc6455#section-5.5).
func (o Opcode) IsControl() bool {
	// TODO(step 4): report whether o is a control opcode (0x8–0xF).
	panic("TODO(step 4): write Opcode.IsControl")
}

// IsReserved reports whether RFC 6455 §5.2 leaves the opcode undefined:
// 0x3–0x7 (future data frames) and 0xB–0xF (future control frames).
func (o Opcode) IsReserved() bool {
	// TODO(step 4): report whether o is one of the ten reserved opcodes.
	panic("TODO(step 4): write Opcode.IsReserved")
}
