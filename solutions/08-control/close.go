package control

import (
	"encoding/binary"
	"errors"
	"fmt"
	"unicode/utf8"

	frame "github.com/wsfromtcp/workshop/solutions/04-frame-decode"
	message "github.com/wsfromtcp/workshop/solutions/07-messages"
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
	switch len(payload) {
	case 0:
		return StatusNoStatusReceived, "", nil
	// RFC 6455 §5.5.1 (R-5.5.1-1): a body starts with a 2-byte code.
	case 1:
		return 0, "", fmt.Errorf("%w: 1 byte (%#x), where a status code needs 2", ErrClosePayload, payload[0])
	}
	code := StatusCode(binary.BigEndian.Uint16(payload))
	if !code.ValidOnWire() {
		return 0, "", fmt.Errorf("%w: status code %d may not be sent in a close frame (RFC 6455 §7.4)", ErrClosePayload, uint16(code))
	}
	reason := payload[2:]
	// RFC 6455 §5.5.1 (R-5.5.1-2): the reason is UTF-8.
	if !utf8.Valid(reason) {
		return 0, "", fmt.Errorf("%w: close reason %q", message.ErrInvalidUTF8, reason)
	}
	return code, string(reason), nil
}

// ClosePayload builds the payload of a close frame with code and reason. The
// reason is cut to the 123 bytes that fit in a control frame (RFC 6455
// §5.5), at a code point boundary so that it stays valid UTF-8. For
// StatusNoStatusReceived the payload is empty: that code stands for "no
// code" and may never be sent (§7.4.1).
// RFC 6455 §7.4 (R-7.4-1): a close frame may say why.
func ClosePayload(code StatusCode, reason string) []byte {
	// RFC 6455 §7.4.1 (R-7.4.1-3): 1005 is never sent: the payload stays empty.
	if code == StatusNoStatusReceived {
		return nil
	}
	// RFC 6455 §5.5 (R-5.5-1): a close frame stays within 125 bytes.
	if len(reason) > maxReason {
		cut := maxReason
		for cut > 0 && !utf8.RuneStart(reason[cut]) {
			cut--
		}
		reason = reason[:cut]
	}
	return append(binary.BigEndian.AppendUint16(make([]byte, 0, 2+len(reason)), uint16(code)), reason...)
}
