package control

import (
	"testing"

	frame "github.com/wsfromtcp/workshop/steps/04-frame-decode"
	"github.com/wsfromtcp/workshop/tools/wstest/assert"
)

func TestCheckFrameAcceptsFramesThatBreakNoRule(t *testing.T) {
	cases := []struct {
		name string
		h    frame.Header
	}{
		{"a final text frame", frame.Header{Fin: true, Opcode: frame.OpText, Length: 5}},
		{"a first text fragment", frame.Header{Opcode: frame.OpText, Length: 1 << 20}},
		{"a continuation", frame.Header{Opcode: frame.OpContinuation, Length: 3}},
		{"a binary frame of 64 KiB", frame.Header{Fin: true, Opcode: frame.OpBinary, Length: 65536}},
		{"an empty ping", frame.Header{Fin: true, Opcode: frame.OpPing}},
		{"a pong of 125 bytes", frame.Header{Fin: true, Opcode: frame.OpPong, Length: 125}},
		{"a close of 125 bytes", frame.Header{Fin: true, Opcode: frame.OpClose, Length: 125}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.NoError(t, CheckFrame(tc.h), "%s breaks no rule of RFC 6455 §5.2 or §5.5", tc.name)
		})
	}
}

func TestCheckFrameRefusesEachForbiddenHeaderWithItsOwnError(t *testing.T) {
	// Proves RFC 6455 R-5.2-2, R-5.2-3 (docs/rfc6455.md),
	// and also R-5.5-1, R-5.4-2.
	cases := []struct {
		name string
		h    frame.Header
		want error
		why  string
	}{
		{"RSV1 on a text frame", frame.Header{Fin: true, Rsv1: true, Opcode: frame.OpText}, ErrReservedBits,
			"RSV bits are for extensions, and none was negotiated (RFC 6455 §5.2)"},
		{"RSV2 on a ping", frame.Header{Fin: true, Rsv2: true, Opcode: frame.OpPing}, ErrReservedBits,
			"RSV bits are for extensions, and none was negotiated (RFC 6455 §5.2)"},
		{"RSV3 on a continuation", frame.Header{Rsv3: true, Opcode: frame.OpContinuation}, ErrReservedBits,
			"RSV bits are for extensions, and none was negotiated (RFC 6455 §5.2)"},
		{"opcode 0x3", frame.Header{Fin: true, Opcode: 0x3}, ErrReservedOpcode,
			"0x3–0x7 are reserved for future data frames (RFC 6455 §5.2)"},
		{"opcode 0xB", frame.Header{Fin: true, Opcode: 0xB}, ErrReservedOpcode,
			"0xB–0xF are reserved for future control frames (RFC 6455 §5.2)"},
		{"opcode 0xF", frame.Header{Fin: true, Opcode: 0xF}, ErrReservedOpcode,
			"0xB–0xF are reserved for future control frames (RFC 6455 §5.2)"},
		{"a ping of 126 bytes", frame.Header{Fin: true, Opcode: frame.OpPing, Length: 126}, ErrControlTooLong,
			"\"All control frames MUST have a payload length of 125 bytes or less\" (RFC 6455 §5.5)"},
		{"a close of 65536 bytes", frame.Header{Fin: true, Opcode: frame.OpClose, Length: 65536}, ErrControlTooLong,
			"\"All control frames MUST have a payload length of 125 bytes or less\" (RFC 6455 §5.5)"},
		{"a ping without FIN", frame.Header{Opcode: frame.OpPing, Length: 1}, ErrControlFragmented,
			"control frames \"MUST NOT be fragmented\" (RFC 6455 §5.5)"},
		{"a close without FIN", frame.Header{Opcode: frame.OpClose}, ErrControlFragmented,
			"control frames \"MUST NOT be fragmented\" (RFC 6455 §5.5)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.ErrorIs(t, CheckFrame(tc.h), tc.want, "%s: %s", tc.name, tc.why)
		})
	}
}
