package performance

import (
	"encoding/binary"
	"math/bits"
)

// Mask XORs b in place with the masking key (RFC 6455 §5.3: octet i of the
// payload is XORed with key[i mod 4]), starting at key byte pos (0 to 3),
// and returns the key position for the byte after b: (pos+len(b)) mod 4. So
// a payload that arrives in pieces is unmasked piece by piece, each call
// taking the position the last one returned. Masking and unmasking are the
// same operation. No byte outside b changes.
//
// It works on 8 bytes at a time, in safe Go: no unsafe, no assembly. It
// allocates nothing.
func Mask(key [4]byte, pos int, b []byte) int {
	next := (pos + len(b)) & 3
	if len(b) >= 8 {
		// The key stream repeats every 4 bytes, so 8 bytes of it fit in
		// one uint64: rotate the key to start at key[pos], then XOR a word
		// at a time. Little-endian on both sides keeps byte i of the word
		// on byte i of b, on any machine.
		k := bits.RotateLeft32(binary.LittleEndian.Uint32(key[:]), -8*(pos&3))
		w := uint64(k)<<32 | uint64(k)
		// 64 bytes a round: eight independent words keep the CPU busy and
		// the loop overhead small.
		for len(b) >= 64 {
			c := b[:64:64] // one bounds check for the eight words
			binary.LittleEndian.PutUint64(c[0:], binary.LittleEndian.Uint64(c[0:])^w)
			binary.LittleEndian.PutUint64(c[8:], binary.LittleEndian.Uint64(c[8:])^w)
			binary.LittleEndian.PutUint64(c[16:], binary.LittleEndian.Uint64(c[16:])^w)
			binary.LittleEndian.PutUint64(c[24:], binary.LittleEndian.Uint64(c[24:])^w)
			binary.LittleEndian.PutUint64(c[32:], binary.LittleEndian.Uint64(c[32:])^w)
			binary.LittleEndian.PutUint64(c[40:], binary.LittleEndian.Uint64(c[40:])^w)
			binary.LittleEndian.PutUint64(c[48:], binary.LittleEndian.Uint64(c[48:])^w)
			binary.LittleEndian.PutUint64(c[56:], binary.LittleEndian.Uint64(c[56:])^w)
			b = b[64:]
		}
		for len(b) >= 8 {
			binary.LittleEndian.PutUint64(b, binary.LittleEndian.Uint64(b)^w)
			b = b[8:]
		}
	}
	// The tail, fewer than 8 bytes. The words covered a multiple of 4
	// bytes, so the key stream is still where it was at pos.
	for i := range b {
		b[i] ^= key[(pos+i)&3]
	}
	return next
}
