package control

import (
	"errors"

	frame "github.com/wsfromtcp/workshop/steps/04-frame-decode"
)

// ErrClosePayload: a close frame's payload is 1 byte long, or carries a
// status code that may not be sent (RFC 6455 §5.5.1, §7.4). Either is a
// protocol error.
var ErrClosePayload = errors.New("control: malformed close payload")

// maxReason is what is left of a control frame's 125 bytes after the
// two-byte status code.
const maxReason = frame.MaxControlPayload - 2

// ParseClose reads the payload of a close frame (RFC 6455 §5.5.1,
// [https://www.rfc-editor.org/rfc/rfc6455#section-5.5.1]): empty, or a
// status code in network byte order followed by a reason in UTF-8. An empty
// payload gives StatusNoStatusReceived, as §7.1.5 says. A 1-byte payload or
// a code that ValidOnWire refuses is an error wrapping ErrClosePayload, and
// a reason that is not UTF-8 an error wrapping message.ErrInvalidUTF8 (the
// connection is then failed with 1007, §8.1).
func ParseClose(payload []byte) (StatusCode, string, error) {
	// TODO(step 8): read the code and the reason, and refuse what §5.5.1
	// and §7.4 forbid.
	panic("TODO(step 8): write ParseClose")
}

// ClosePayload builds the payload of a close frame with code and reason. The
// reason is cut to the 123 bytes that fit in a control frame (RFC 6455
// §5.5), at a code point boundary so that it stays valid UTF-8. For
// StatusNoStatusReceived the payload is empty: that code stands for "no
// code" and may never be sent (§7.4.1).
func ClosePayload(code StatusCode, reason string) []byte {
	// TODO(step 8): the code in two bytes, big-endian, then as much of the
	// reason as fits without splitting a code point.
	panic("TODO(step 8): write ClosePayload")
}
