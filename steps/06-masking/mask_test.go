package mask

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/wsfromtcp/workshop/tools/wstest/assert"
)

// key is the masking key of the masked examples of RFC 6455 §5.7.
var key = [4]byte{0x37, 0xfa, 0x21, 0x3d}

// reference is RFC 6455 §5.3 word for word: octet i of the payload is XORed
// with octet i MOD 4 of the key, where i counts from the payload's start.
func reference(key [4]byte, pos int, b []byte) {
	for i := range b {
		b[i] ^= key[(pos+i)%4]
	}
}

// random is a fixed-seed source, so that a failure repeats run after run.
func random() *rand.Rand { return rand.New(rand.NewPCG(6455, 5)) }

func randomBytes(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func randomKey(r *rand.Rand) [4]byte {
	var k [4]byte
	copy(k[:], randomBytes(r, 4))
	return k
}

// firstDifference is the index of the first byte where a and b differ.
func firstDifference(a, b []byte) int {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return i
}

func TestApplyMatchesAByteByByteReference(t *testing.T) {
	// Proves RFC 6455 R-6.2-5 (docs/rfc6455.md).
	r := random()
	lengths := []int{0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 1000, 4096, 4099}
	for range 20 {
		lengths = append(lengths, r.IntN(3000))
	}
	for _, n := range lengths {
		for pos := range 8 {
			k := randomKey(r)
			data := randomBytes(r, n)
			want := bytes.Clone(data)
			reference(k, pos, want)
			got := bytes.Clone(data)
			end := Apply(k, pos, got)
			if !assert.True(t, bytes.Equal(want, got), "Apply(% x, %d, %d bytes) differs from RFC 6455 §5.3 at byte %d: byte i of b is XORed with key[(pos+i) mod 4], since pos counts the payload bytes before b (b[0] takes key[pos mod 4], not key[0])", k, pos, n, firstDifference(want, got)) {
				return
			}
			assert.Equal(t, pos+n, end, "Apply returns the position after b: pos + len(b)")
		}
	}
}

func TestApplyChangesNothingOutsideB(t *testing.T) {
	// b is often a window into a larger buffer whose capacity reaches past
	// it: a piece of a payload, with the next piece (still masked, or not
	// part of the payload at all) right behind it.
	r := random()
	const guard = 16
	for _, n := range []int{0, 1, 3, 7, 8, 9, 12, 15, 17, 31, 33, 63, 100, 1001} {
		for pos := range 4 {
			k := randomKey(r)
			buf := randomBytes(r, guard+n+guard)
			orig := bytes.Clone(buf)
			Apply(k, pos, buf[guard:guard+n])
			for i := range buf {
				if (i < guard || i >= guard+n) && buf[i] != orig[i] {
					assert.Fail(t, "Apply changed a byte outside b", "Apply(key, %d, %d bytes) changed the byte %d places after the end of b: only b[0:len(b)] is the caller's payload to unmask (RFC 6455 §5.3 masks the payload's octets, no more). b[i:i+8] is legal wherever b's capacity reaches, so a word loop must stop when fewer than 8 bytes are left and finish them one at a time", pos, n, i-guard-n+1)
					return
				}
			}
		}
	}
}

func TestApplyResumesAcrossBufferSplits(t *testing.T) {
	r := random()
	for range 200 {
		k := randomKey(r)
		data := randomBytes(r, r.IntN(2000))
		want := bytes.Clone(data)
		reference(k, 0, want)

		// Unmask in random pieces, as a payload arrives in reads of any size.
		got := bytes.Clone(data)
		var sizes []int
		pos := 0
		for rest := got; len(rest) > 0; {
			n := min(len(rest), r.IntN(40))
			if r.IntN(4) == 0 {
				n = min(len(rest), r.IntN(700))
			}
			next := Apply(k, pos, rest[:n])
			if !assert.Equal(t, pos+n, next, "Apply(key, %d, %d bytes) must return %d, the position where the next piece starts", pos, n, pos+n) {
				return
			}
			pos, rest = next, rest[n:]
			sizes = append(sizes, n)
		}
		if !assert.True(t, bytes.Equal(want, got), "a %d-byte payload unmasked in pieces of %v differs from unmasking it whole, at byte %d: each piece must pick up the key stream where the one before stopped (RFC 6455 §5.3: the key byte depends on the position in the whole payload)", len(data), sizes, firstDifference(want, got)) {
			return
		}
	}
}

func TestApplyTwiceRestoresTheInput(t *testing.T) {
	r := random()
	for _, n := range []int{0, 1, 5, 8, 13, 64, 1027} {
		k := randomKey(r)
		data := randomBytes(r, n)
		b := bytes.Clone(data)
		Apply(k, 3, b)
		if n >= 8 {
			assert.False(t, bytes.Equal(data, b), "Apply must change b in place (%d bytes)", n)
		}
		Apply(k, 3, b)
		assert.True(t, bytes.Equal(data, b), "masking twice with the same key and position must give back the input: \"the same algorithm applies regardless of the direction of the translation\" (RFC 6455 §5.3)")
	}
}

func TestApplyUnmasksTheRFCMaskedHello(t *testing.T) {
	// Proves RFC 6455 R-6.2-5 (docs/rfc6455.md).
	b := []byte{0x7f, 0x9f, 0x4d, 0x51, 0x58}
	end := Apply(key, 0, b)
	assert.Equal(t, "Hello", string(b), "the masked payload 7f 9f 4d 51 58 with key 37 fa 21 3d is \"Hello\" (RFC 6455 §5.7)")
	assert.Equal(t, 5, end, "Apply returns the position after b")

	b = []byte{0x7f, 0x9f, 0x4d, 0x51, 0x58}
	pos := Apply(key, 0, b[:2])
	pos = Apply(key, pos, b[2:])
	assert.Equal(t, "Hello", string(b), "unmasking \"He\" and then \"llo\" must give \"Hello\" too: the second call starts at key byte 2, which the first call returned")
	assert.Equal(t, 5, pos)
}

func BenchmarkApply(b *testing.B) {
	for _, n := range []int{16, 1 << 10, 64 << 10} {
		buf := make([]byte, n)
		b.Run(fmt.Sprintf("%dB", n), func(b *testing.B) {
			b.SetBytes(int64(n))
			for b.Loop() {
				Apply(key, 1, buf)
			}
		})
	}
}

// BenchmarkReference measures the byte-by-byte loop, to compare Apply with.
func BenchmarkReference(b *testing.B) {
	for _, n := range []int{16, 1 << 10, 64 << 10} {
		buf := make([]byte, n)
		b.Run(fmt.Sprintf("%dB", n), func(b *testing.B) {
			b.SetBytes(int64(n))
			for b.Loop() {
				reference(key, 1, buf)
			}
		})
	}
}
