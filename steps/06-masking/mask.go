// Package mask is step 6 of the workshop: it unmasks the frames a client
// sends, which every browser masks with a fresh random key.
//
// Read RFC 6455 §5.3 Client-to-Server Masking
// (https://www.rfc-editor.org/rfc/rfc6455#section-5.3), §5.1
// (https://www.rfc-editor.org/rfc/rfc6455#section-5.1) and, for why, §10.3
// (https://www.rfc-editor.org/rfc/rfc6455#section-10.3).
// Chapter: docs/06-masking.md. Check your work with: make step6
package mask

// Apply XORs b in place with key, starting at byte pos of the key stream
// (pos counts payload bytes already masked), and returns the position after
// b (RFC 6455 §5.3: octet i is XORed with key[i mod 4]). Masking and
// unmasking are the same operation; the position lets a payload be unmasked
// in pieces across buffer boundaries. No byte outside b changes, even where
// b's capacity reaches further: b may be a window into a larger buffer.
func Apply(key [4]byte, pos int, b []byte) int {
	// TODO(step 6): XOR each byte of b with the key byte its position in
	// the payload selects, and return the position after the last one.
	panic("TODO(step 6): write Apply")
}
