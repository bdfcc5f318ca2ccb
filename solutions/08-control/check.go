package control

import (
	"errors"
	"fmt"

	frame "github.com/wsfromtcp/workshop/solutions/04-frame-decode"
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
	switch {
	// RFC 6455 §5.2 (R-5.2-2): no extension, so a reserved bit fails the connection.
	case h.Rsv1 || h.Rsv2 || h.Rsv3:
		return fmt.Errorf("%w: RSV1 %t, RSV2 %t, RSV3 %t on a %s frame", ErrReservedBits, h.Rsv1, h.Rsv2, h.Rsv3, h.Opcode)
	// RFC 6455 §5.2 (R-5.2-3): an unknown opcode fails the connection.
	case h.Opcode.IsReserved():
		return fmt.Errorf("%w %#x", ErrReservedOpcode, byte(h.Opcode))
	case !h.Opcode.IsControl():
		return nil
	// RFC 6455 §5.5 (R-5.5-1): control frames carry 125 bytes at most.
	case h.Length > frame.MaxControlPayload:
		return fmt.Errorf("%w: a %s frame of %d bytes", ErrControlTooLong, h.Opcode, h.Length)
	// RFC 6455 §5.4, §5.5 (R-5.4-2, R-5.5-1): control frames are not fragmented.
	case !h.Fin:
		return fmt.Errorf("%w: a %s frame without FIN", ErrControlFragmented, h.Opcode)
	}
	return nil
}
