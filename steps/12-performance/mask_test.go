package performance

import (
	"bytes"
	"testing"

	"github.com/wsfromtcp/workshop/tools/wstest"
	"github.com/wsfromtcp/workshop/tools/wstest/assert"
	"github.com/wsfromtcp/workshop/tools/wstest/require"
)

// maskBytes is masking as RFC 6455 §5.3 defines it, one byte at a time:
// the yardstick for Mask.
func maskBytes(key [4]byte, pos int, b []byte) int {
	for i := range b {
		b[i] ^= key[(pos+i)%4]
	}
	return (pos + len(b)) % 4
}

func TestMaskMatchesTheByteLoopForEveryLengthPositionAndAlignment(t *testing.T) {
	// Proves RFC 6455 R-6.2-5 (docs/rfc6455.md).
	// Every length up to 80 covers the word loop, its unrolled rounds and
	// every tail; every offset in a larger buffer covers every alignment.
	// The bytes around b must not change.
	for n := 0; n <= 80; n++ {
		for pos := 0; pos < 4; pos++ {
			for off := 0; off < 8; off++ {
				got := wstest.Pattern(off + n + 8)
				want := bytes.Clone(got)
				next := Mask(key, pos, got[off:off+n])
				wantNext := maskBytes(key, pos, want[off:off+n])
				require.Equal(t, want, got, "Mask(key, %d, b) of %d bytes at offset %d: byte i of the payload is XORed "+
					"with key[(pos+i) mod 4], and no byte outside b changes (RFC 6455 §5.3)", pos, n, off)
				require.Equal(t, wantNext, next, "Mask(key, %d, b) of %d bytes must return the key position for the "+
					"byte after b, (pos+len(b)) mod 4, so that the next piece carries on there (RFC 6455 §5.3)", pos, n)
			}
		}
	}

	// A payload masked in pieces, each call taking the position the last
	// one returned, is the payload masked in one go.
	whole := wstest.Pattern(1000)
	pieces := bytes.Clone(whole)
	maskBytes(key, 0, whole)
	pos, rest := 0, pieces
	for _, size := range []int{1, 7, 64, 3, 130, 9, 2, 513} {
		pos = Mask(key, pos, rest[:size])
		rest = rest[size:]
	}
	Mask(key, pos, rest)
	assert.Equal(t, whole, pieces, "a payload unmasked in pieces of 1, 7, 64, 3, 130, 9, 2 and 513 bytes, each piece "+
		"starting at the position the last call returned, must equal the payload unmasked in one call (RFC 6455 §5.3)")
}
