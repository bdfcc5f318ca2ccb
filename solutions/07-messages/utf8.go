package message

import "unicode/utf8"

// utf8Stream checks UTF-8 that arrives in pieces (RFC 3629 §4, the table of
// well-formed byte sequences), so that a code point may be split between two
// fragments while any byte that can never be valid is caught in the piece
// that carries it.
//
// The zero value is ready to use, at the start of a text.
type utf8Stream struct {
	need   int  // continuation bytes the current code point still needs
	lo, hi byte // the range the next continuation byte must fall in
}

// write checks the next piece of the text. It returns -1 when every byte of
// p may still be part of valid UTF-8, or the offset in p of the first byte
// that cannot.
func (s *utf8Stream) write(p []byte) int {
	// Finish a code point that the previous piece left open.
	i := 0
	for ; s.need > 0 && i < len(p); i++ {
		if !s.step(p[i]) {
			return i
		}
	}
	// Most text is valid, and the standard library checks whole code
	// points fastest. A piece that ends inside a code point is checked up
	// to where that code point starts, and its last bytes go through step.
	if s.need == 0 {
		end := len(p)
		for j := len(p) - 1; j >= i && j >= len(p)-3; j-- {
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
	// Whatever is left is the unfinished end of the piece, or the piece is
	// invalid and step finds the first bad byte.
	for ; i < len(p); i++ {
		if !s.step(p[i]) {
			return i
		}
	}
	return -1
}

// complete reports whether the text so far ends on a code point boundary.
func (s *utf8Stream) complete() bool { return s.need == 0 }

// step takes one byte and reports whether it may continue a valid text.
func (s *utf8Stream) step(b byte) bool {
	if s.need > 0 {
		if b < s.lo || b > s.hi {
			return false
		}
		s.need--
		s.lo, s.hi = 0x80, 0xBF
		return true
	}
	// A lead byte says how many continuation bytes follow; for some lead
	// bytes the first of them has a narrower range, which shuts out
	// overlong forms (E0, F0), UTF-16 surrogates U+D800–U+DFFF (ED) and code
	// points above U+10FFFF (F4).
	s.lo, s.hi = 0x80, 0xBF
	switch {
	case b < 0x80:
		return true
	case b >= 0xC2 && b <= 0xDF:
		s.need = 1
	case b == 0xE0:
		s.need, s.lo = 2, 0xA0
	case b == 0xED:
		s.need, s.hi = 2, 0x9F
	case b >= 0xE1 && b <= 0xEF:
		s.need = 2
	case b == 0xF0:
		s.need, s.lo = 3, 0x90
	case b >= 0xF1 && b <= 0xF3:
		s.need = 3
	case b == 0xF4:
		s.need, s.hi = 3, 0x8F
	default:
		// 80–BF cannot start a code point; C0, C1 and F5–FF never appear.
		return false
	}
	return true
}
