// Package mask is step 6 of the workshop: it unmasks the frames a client
// sends, which every browser masks with a fresh random key.
//
// Read RFC 6455 §5.3 Client-to-Server Masking
// (https://www.rfc-editor.org/rfc/rfc6455#section-5.3), §5.1
// (https://www.rfc-editor.org/rfc/rfc6455#section-5.1) and, for why, §10.3
// (https://www.rfc-editor.org/rfc/rfc6455#section-10.3).
// Chapter: docs/06-masking.md.
package mask

import (
	"encoding/binary"
	"math/bits"
)

// Apply XORs b in place with key, starting at byte pos of the key stream
// (pos counts payload bytes already masked), and returns the position after
// b (RFC 6455 §5.3: octet i is XORed with key[i mod 4]). Masking and
// unmasking are the same operation; the position lets a payload be unmasked
// in pieces across buffer boundaries. No byte outside b changes, even where
// b's capacity reaches further: b may be a window into a larger buffer.
// RFC 6455 §6.2 (R-6.2-5): the unmasking of §5.3.
func Apply(key [4]byte, pos int, b []byte) int {
	end := pos + len(b)
	if len(b) >= 8 {
		// The key stream repeats every 4 bytes, so 8 bytes of it fit in one
		// uint64. Rotate the key so that the word starts at key[pos%4], then
		// XOR 8 bytes per step instead of 1. Little-endian on both sides
		// keeps byte i of the word on byte i of b, on any machine.
		k := bits.RotateLeft32(binary.LittleEndian.Uint32(key[:]), -8*(pos&3))
		k64 := uint64(k)<<32 | uint64(k)
		for len(b) >= 32 {
			binary.LittleEndian.PutUint64(b[0:8], binary.LittleEndian.Uint64(b[0:8])^k64)
			binary.LittleEndian.PutUint64(b[8:16], binary.LittleEndian.Uint64(b[8:16])^k64)
			binary.LittleEndian.PutUint64(b[16:24], binary.LittleEndian.Uint64(b[16:24])^k64)
			binary.LittleEndian.PutUint64(b[24:32], binary.LittleEndian.Uint64(b[24:32])^k64)
			b = b[32:]
		}
		for len(b) >= 8 {
			binary.LittleEndian.PutUint64(b, binary.LittleEndian.Uint64(b)^k64)
			b = b[8:]
		}
	}
	// The rest, fewer than 8 bytes, one at a time. The words above covered
	// a multiple of 4 bytes, so the key stream is where it was at pos.
	for i := range b {
		b[i] ^= key[(pos+i)&3]
	}
	return end
}
