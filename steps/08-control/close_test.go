package control

import (
	"strings"
	"testing"
	"unicode/utf8"

	message "github.com/wsfromtcp/workshop/steps/07-messages"
	"github.com/wsfromtcp/workshop/tools/wstest/assert"
	"github.com/wsfromtcp/workshop/tools/wstest/require"
)

func TestParseCloseReadsTheCodeAndTheReason(t *testing.T) {
	// Proves RFC 6455 R-5.5.1-1, R-7.4-1 (docs/rfc6455.md).
	long := strings.Repeat("x", 123)
	cases := []struct {
		name    string
		payload []byte
		code    StatusCode
		reason  string
	}{
		{"an empty payload", nil, StatusNoStatusReceived, ""},
		{"1000 without a reason", []byte{0x03, 0xe8}, StatusNormalClosure, ""},
		{"1001 \"bye\"", []byte{0x03, 0xe9, 'b', 'y', 'e'}, StatusGoingAway, "bye"},
		{"3000, a registered code", []byte{0x0b, 0xb8}, 3000, ""},
		{"4999, the last private code", []byte{0x13, 0x87, 0xc3, 0xa9}, 4999, "é"},
		{"1000 with a 123-byte reason", append([]byte{0x03, 0xe8}, long...), StatusNormalClosure, long},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, reason, err := ParseClose(tc.payload)
			require.NoError(t, err, "% x is a valid close payload (RFC 6455 §5.5.1)", tc.payload)
			assert.Equal(t, tc.code, code, "the code is the first two bytes, big-endian; an empty payload means 1005, no status (§7.1.5)")
			assert.Equal(t, tc.reason, reason, "the reason is every byte after the code")
		})
	}
}

func TestParseCloseRefusesMalformedPayloads(t *testing.T) {
	// Proves RFC 6455 R-5.5.1-1, R-5.5.1-2 (docs/rfc6455.md).
	cases := []struct {
		name    string
		payload []byte
		want    error
		why     string
	}{
		{"1 byte", []byte{0x03}, ErrClosePayload, "a status code takes two bytes, so a 1-byte payload is malformed (RFC 6455 §5.5.1)"},
		{"code 999", []byte{0x03, 0xe7}, ErrClosePayload, "codes below 1000 are not used (§7.4.2)"},
		{"code 1005", []byte{0x03, 0xed}, ErrClosePayload, "1005 must never be sent (§7.4.1)"},
		{"code 1006", []byte{0x03, 0xee}, ErrClosePayload, "1006 must never be sent (§7.4.1)"},
		{"code 2000", []byte{0x07, 0xd0}, ErrClosePayload, "1016–2999 are reserved (§7.4.2)"},
		{"code 5000", []byte{0x13, 0x88}, ErrClosePayload, "no code above 4999 is defined (§7.4.2)"},
		{"a reason that is not UTF-8", []byte{0x03, 0xe8, 0xff, 0xfe}, message.ErrInvalidUTF8,
			"the reason is UTF-8 text (§5.5.1); invalid text fails the connection with 1007 (§8.1), so wrap step 7's ErrInvalidUTF8"},
		{"a reason cut inside a code point", []byte{0x03, 0xe8, 0xc3}, message.ErrInvalidUTF8,
			"the reason is UTF-8 text (§5.5.1), and c3 alone is half of a code point"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := ParseClose(tc.payload)
			assert.ErrorIs(t, err, tc.want, "close payload % x: %s", tc.payload, tc.why)
		})
	}
}

func TestClosePayloadCutsALongReasonAtACodePointBoundary(t *testing.T) {
	// Proves RFC 6455 R-5.5-1, R-7.4.1-3 (docs/rfc6455.md).
	assert.Equal(t, []byte{0x03, 0xe9, 'b', 'y', 'e'}, ClosePayload(StatusGoingAway, "bye"),
		"the payload is the code in two bytes, big-endian, then the reason (RFC 6455 §5.5.1)")
	assert.Empty(t, ClosePayload(StatusNoStatusReceived, ""),
		"1005 means \"no code\" and may never be sent (§7.4.1): its close payload is empty")

	for _, reason := range []string{strings.Repeat("a", 200), strings.Repeat("é", 100), strings.Repeat("€", 60), "x" + strings.Repeat("😀", 40)} {
		p := ClosePayload(StatusNormalClosure, reason)
		require.GreaterOrEqual(t, len(p), 2, "the payload starts with the code")
		assert.LessOrEqual(t, len(p), 125, "a close frame is a control frame, so its payload is at most 125 bytes (RFC 6455 §5.5)")
		assert.GreaterOrEqual(t, len(p), 122, "cut the reason only as much as needed: at most 3 bytes below the 125 allowed")
		assert.True(t, utf8.Valid(p[2:]), "a reason cut inside a code point is invalid UTF-8, and the client would fail the connection with 1007 (§8.1)")
		assert.True(t, strings.HasPrefix(reason, string(p[2:])), "the reason is cut at its end, not changed")
	}
}
