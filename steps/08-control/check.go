package control

import (
	"errors"

	frame "github.com/wsfromtcp/workshop/steps/04-frame-decode"
)

// Errors that CheckFrame returns, wrapped with context; test for them with
// errors.Is. Each one is a protocol error: the connection is failed with
// StatusProtocolError (RFC 6455 §7.4.1).
var (
	// ErrReservedBits: RSV1, RSV2 or RSV3 is set, and no extension was
	// negotiated. RFC 6455 §5.2: "If a nonzero value is received and none of
	// the negotiated extensions defines the meaning of such a nonzero value,
	// the receiving endpoint MUST _Fail the WebSocket Connection_."
	ErrReservedBits = errors.New("control: reserved bits set without an extension")
	// ErrReservedOpcode: the opcode is one RFC 6455 §5.2 leaves undefined;
	// "If an unknown opcode is received, the receiving endpoint MUST _Fail
	// the WebSocket Connection_."
	ErrReservedOpcode = errors.New("control: reserved opcode")
	// ErrControlTooLong: RFC 6455 §5.5: "All control frames MUST have a
	// payload length of 125 bytes or less".
	ErrControlTooLong = errors.New("control: control frame longer than 125 bytes")
	// ErrControlFragmented: RFC 6455 §5.5: control frames "MUST NOT be
	// fragmented", so their FIN bit is always set.
	ErrControlFragmented = errors.New("control: fragmented control frame")
)

// CheckFrame applies the rules of RFC 6455 §5.2 and §5.5 that a frame
// header can be judged by on its own: no RSV bit, no reserved opcode, and a
// control frame unfragmented and at most 125 bytes long. The rules that need
// the frames before it (continuations) are step 7's.
func CheckFrame(h frame.Header) error {
	// TODO(step 8): return an error wrapping the sentinel of the first rule
	// the header breaks, with the values that broke it; nil otherwise.
	panic("TODO(step 8): write CheckFrame")
}
