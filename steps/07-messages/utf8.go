package message

// utf8Stream checks UTF-8 that arrives in pieces (RFC 3629 §4, the table of
// well-formed byte sequences), so that a code point may be split between two
// fragments while any byte that can never be valid is caught in the piece
// that carries it.
//
// The zero value is ready to use, at the start of a text.
type utf8Stream struct {
	// TODO(step 7): remember what the pieces so far leave open: how many
	// continuation bytes the current code point still needs, and which
	// values the next one may take.
}

// write checks the next piece of the text. It returns -1 when every byte of
// p may still be part of valid UTF-8, or the offset in p of the first byte
// that cannot.
func (s *utf8Stream) write(p []byte) int {
	// TODO(step 7): go through p, finishing the code point the previous
	// piece left open, and stop at the first byte that can never be part of
	// valid UTF-8: overlong forms, surrogates (U+D800–U+DFFF), code points
	// above U+10FFFF, stray continuation bytes.
	panic("TODO(step 7): write utf8Stream.write")
}

// complete reports whether the text so far ends on a code point boundary.
func (s *utf8Stream) complete() bool {
	// TODO(step 7): report whether no code point is left half written.
	panic("TODO(step 7): write utf8Stream.complete")
}
