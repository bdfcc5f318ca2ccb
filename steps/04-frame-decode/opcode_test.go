package frame

import (
	"fmt"
	"testing"

	"github.com/wsfromtcp/workshop/tools/wstest/assert"
)

// opcodes lists all sixteen 4-bit values with what RFC 6455 §5.2 says of
// each: its name, whether it is a control frame, whether it is reserved.
var opcodes = []struct {
	op       Opcode
	name     string
	control  bool
	reserved bool
}{
	{0x0, "continuation", false, false},
	{0x1, "text", false, false},
	{0x2, "binary", false, false},
	{0x3, "reserved 0x3", false, true},
	{0x4, "reserved 0x4", false, true},
	{0x5, "reserved 0x5", false, true},
	{0x6, "reserved 0x6", false, true},
	{0x7, "reserved 0x7", false, true},
	{0x8, "close", true, false},
	{0x9, "ping", true, false},
	{0xA, "pong", true, false},
	{0xB, "reserved 0xb", true, true},
	{0xC, "reserved 0xc", true, true},
	{0xD, "reserved 0xd", true, true},
	{0xE, "reserved 0xe", true, true},
	{0xF, "reserved 0xf", true, true},
}

func TestOpcodeStringNamesEveryValue(t *testing.T) {
	for _, tc := range opcodes {
		assert.Equal(t, tc.name, tc.op.String(),
			"opcode %#x should be named %q: RFC 6455 §5.2 defines 0x0-0x2 and 0x8-0xA, and any other value prints as \"reserved\" and its value in hex (fmt's %%#x of the byte; careful, %%x of an Opcode calls String itself)", byte(tc.op), tc.name)
	}
	assert.Equal(t, "ping", fmt.Sprint(OpPing), "with a String method, fmt prints an Opcode by its name")
}

func TestOpcodeIsControlForTheHighHalf(t *testing.T) {
	for _, tc := range opcodes {
		if tc.control {
			assert.True(t, tc.op.IsControl(), "opcode %#x (%s) has its most significant bit set, so it is a control frame (RFC 6455 §5.5)", byte(tc.op), tc.name)
		} else {
			assert.False(t, tc.op.IsControl(), "opcode %#x (%s) has its most significant bit clear, so it is a data frame, not a control frame (RFC 6455 §5.5, §5.6)", byte(tc.op), tc.name)
		}
	}
}

func TestOpcodeIsReservedForTheUndefinedValues(t *testing.T) {
	// Proves RFC 6455 R-5.2-3 (docs/rfc6455.md).
	for _, tc := range opcodes {
		if tc.reserved {
			assert.True(t, tc.op.IsReserved(), "opcode %#x is reserved for future use: RFC 6455 §5.2 reserves 0x3-0x7 for data frames and 0xB-0xF for control frames", byte(tc.op))
		} else {
			assert.False(t, tc.op.IsReserved(), "opcode %#x is %s, one of the six RFC 6455 §5.2 defines, so it is not reserved", byte(tc.op), tc.name)
		}
	}
}
