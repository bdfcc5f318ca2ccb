package performance

import (
	"fmt"
	"unicode/utf8"

	message "github.com/wsfromtcp/workshop/solutions/07-messages"
)

// UTF8Validator checks UTF-8 text that arrives in pieces of any size (RFC
// 6455 §8.1, the well-formed byte sequences of RFC 3629 §4): a code point
// may be split between two pieces, and the first byte that can never be
// valid is caught in the piece that carries it, so that a connection fails
// at that byte and does not wait for the rest of the frame.
//
// The zero value is ready, at the start of a text; Reset makes it so again.
type UTF8Validator struct {
	n      int  // bytes of the text accepted so far
	need   int  // continuation bytes the open code point still needs
	lo, hi byte // the range the next continuation byte must fall in
}

// Reset starts a new text.
func (v *UTF8Validator) Reset() { *v = UTF8Validator{} }

// Write checks the next piece of the text. When every byte of p may still
// be part of valid UTF-8 it returns len(p), nil. Otherwise it returns the
// offset in p of the first byte that cannot, and an error wrapping step 7's
// message.ErrInvalidUTF8; the text is then invalid and the validator is not
// used again.
func (v *UTF8Validator) Write(p []byte) (int, error) {
	i := 0
	// Finish the code point that the last piece left open.
	for ; v.need > 0 && i < len(p); i++ {
		if !v.step(p[i]) {
			return v.bad(p, i)
		}
	}
	// Most text is valid, and the standard library checks whole code
	// points fastest (8 ASCII bytes at a time). Leave out a code point cut
	// off at the end of p: step takes it, byte by byte.
	if v.need == 0 {
		end := len(p)
		for j := len(p) - 1; j >= i && j >= len(p)-utf8.UTFMax+1; j-- {
			if utf8.RuneStart(p[j]) {
				if !utf8.FullRune(p[j:]) {
					end = j
				}
				break
			}
		}
		if utf8.Valid(p[i:end]) {
			i = end
		}
	}
	// The cut-off end of p; or p is invalid, and step finds the first bad
	// byte.
	for ; i < len(p); i++ {
		if !v.step(p[i]) {
			return v.bad(p, i)
		}
	}
	v.n += len(p)
	return len(p), nil
}

// Close says the text ends here: a code point still open is an error
// wrapping message.ErrInvalidUTF8, since its missing bytes will never come.
func (v *UTF8Validator) Close() error {
	if v.need > 0 {
		return fmt.Errorf("%w: the text ends inside a code point, %d bytes short, at offset %d",
			message.ErrInvalidUTF8, v.need, v.n)
	}
	return nil
}

// bad reports the byte p[i] as invalid.
func (v *UTF8Validator) bad(p []byte, i int) (int, error) {
	return i, fmt.Errorf("%w: bad byte %#x at offset %d of the text", message.ErrInvalidUTF8, p[i], v.n+i)
}

// step takes one byte and reports whether it may continue a valid text.
func (v *UTF8Validator) step(b byte) bool {
	if v.need > 0 {
		if b < v.lo || b > v.hi {
			return false
		}
		v.need--
		v.lo, v.hi = 0x80, 0xBF
		return true
	}
	// A lead byte says how many continuation bytes follow. For some, the
	// first of them has a narrower range, which shuts out overlong forms
	// (E0, F0), UTF-16 surrogates (ED) and code points above U+10FFFF (F4).
	v.lo, v.hi = 0x80, 0xBF
	switch {
	case b < 0x80:
	case b >= 0xC2 && b <= 0xDF:
		v.need = 1
	case b == 0xE0:
		v.need, v.lo = 2, 0xA0
	case b == 0xED:
		v.need, v.hi = 2, 0x9F
	case b >= 0xE1 && b <= 0xEF:
		v.need = 2
	case b == 0xF0:
		v.need, v.lo = 3, 0x90
	case b >= 0xF1 && b <= 0xF3:
		v.need = 3
	case b == 0xF4:
		v.need, v.hi = 3, 0x8F
	default:
		// 80–BF cannot start a code point; C0, C1 and F5–FF never appear.
		return false
	}
	return true
}
