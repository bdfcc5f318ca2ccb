package performance

// UTF8Validator checks UTF-8 text that arrives in pieces of any size (RFC
// 6455 §8.1, the well-formed byte sequences of RFC 3629 §4): a code point
// may be split between two pieces, and the first byte that can never be
// valid is caught in the piece that carries it, so that a connection fails
// at that byte and does not wait for the rest of the frame.
//
// The zero value is ready, at the start of a text; Reset makes it so again.
type UTF8Validator struct {
	// TODO(step 12): what must be kept from one piece to the next.
}

// Reset starts a new text.
func (v *UTF8Validator) Reset() { *v = UTF8Validator{} }

// Write checks the next piece of the text. When every byte of p may still
// be part of valid UTF-8 it returns len(p), nil. Otherwise it returns the
// offset in p of the first byte that cannot, and an error wrapping step 7's
// message.ErrInvalidUTF8; the text is then invalid and the validator is not
// used again.
func (v *UTF8Validator) Write(p []byte) (int, error) {
	// TODO(step 12): carry an unfinished code point over from the last
	// piece, check the rest, and keep what the next piece must continue.
	panic("TODO(step 12): write UTF8Validator.Write")
}

// Close says the text ends here: a code point still open is an error
// wrapping message.ErrInvalidUTF8, since its missing bytes will never come.
func (v *UTF8Validator) Close() error {
	// TODO(step 12): refuse a text that ends inside a code point.
	panic("TODO(step 12): write UTF8Validator.Close")
}
