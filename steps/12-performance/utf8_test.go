package performance

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	frame "github.com/wsfromtcp/workshop/steps/04-frame-decode"
	message "github.com/wsfromtcp/workshop/steps/07-messages"
	"github.com/wsfromtcp/workshop/tools/wstest/assert"
	"github.com/wsfromtcp/workshop/tools/wstest/require"
)

// utf8Vectors are texts and the offset of their first byte that cannot be
// UTF-8 (RFC 3629 §4), or -1 for valid text. Each bad byte is one that a
// validator which waits for whole code points, or checks only whole
// pieces, places wrongly.
var utf8Vectors = []struct {
	name string
	text string
	bad  int
}{
	{"ASCII", "Hello, World", -1},
	{"two-, three- and four-byte code points", "κόσμε € 😀", -1},
	{"the highest code point, U+10FFFF", "a\xf4\x8f\xbf\xbfz", -1},
	{"a lone continuation byte", "ab\x80cd", 2},
	{"C0, which only starts overlong forms", "ab\xc0\xafcd", 2},
	{"an overlong three-byte form (E0 then below A0)", "ab\xe0\x80\xafcd", 3},
	{"a UTF-16 surrogate, U+D800 (ED then above 9F)", "κόσμε\xed\xa0\x80edited", 11},
	{"a code point above U+10FFFF (F4 then above 8F)", "ab\xf4\x90\x80\x80", 3},
	{"F5, which never appears", "ab\xf5", 2},
	{"a three-byte code point cut short by ASCII", "ab\xe2\x82zz", 4},
	{"a bad byte after a long ASCII run", strings.Repeat("a", 100) + "\xff", 100},
	{"a bad byte after a long run of 😀", strings.Repeat("😀", 30) + "€\xe2\x28\xa1", 124},
}

// validate feeds text to a fresh validator in the given pieces and
// returns the offset of the first byte it refused, or -1.
func validate(pieces ...string) int {
	var v UTF8Validator
	offset := 0
	for _, p := range pieces {
		n, err := v.Write([]byte(p))
		if err != nil {
			return offset + n
		}
		offset += n
	}
	return -1
}

func TestUTF8ValidatorNamesTheFirstBadByteAtEverySplitPoint(t *testing.T) {
	for _, tc := range utf8Vectors {
		t.Run(tc.name, func(t *testing.T) {
			// Whole, then in two pieces split at every point: a code point
			// cut between pieces is fine, and the bad byte is the same.
			require.Equal(t, tc.bad, validate(tc.text), "%q checked in one piece: the first bad byte is at offset %d "+
				"(-1: the text is valid UTF-8, RFC 3629 §4); Write returns how many bytes of the piece it accepted", tc.text, tc.bad)
			for i := 0; i <= len(tc.text); i++ {
				require.Equal(t, tc.bad, validate(tc.text[:i], tc.text[i:]), "%q checked in two pieces split after byte %d: "+
					"a code point may be split between pieces, and the first bad byte is at offset %d whatever the split "+
					"(RFC 6455 §8.1, RFC 3629 §4)", tc.text, i, tc.bad)
			}
			// One byte at a time, through io.Copy: it counts the bytes
			// accepted, and stops at the bad one.
			var v UTF8Validator
			n, err := io.Copy(&v, iotest.OneByteReader(strings.NewReader(tc.text)))
			if tc.bad < 0 {
				assert.NoError(t, err, "%q fed one byte at a time is valid UTF-8", tc.text)
				return
			}
			assert.ErrorIs(t, err, message.ErrInvalidUTF8, "%q fed one byte at a time: the error wraps step 7's ErrInvalidUTF8", tc.text)
			assert.Equal(t, int64(tc.bad), n, "%q fed one byte at a time: the first bad byte is at offset %d", tc.text, tc.bad)
		})
	}
}

func TestUTF8ValidatorRefusesATextThatEndsInsideACodePoint(t *testing.T) {
	var v UTF8Validator
	_, err := v.Write([]byte("price: \xe2\x82"))
	require.NoError(t, err, "E2 82 may be the start of €: the validator waits for its last byte")
	assert.ErrorIs(t, v.Close(), message.ErrInvalidUTF8, "a text that ends after E2 82 ends inside a code point: "+
		"Close must refuse it, since the missing byte will never come (RFC 6455 §8.1)")

	v.Reset()
	_, err = v.Write([]byte("\xac and more"))
	assert.ErrorIs(t, err, message.ErrInvalidUTF8, "after Reset the validator is at the start of a new text: "+
		"AC is a continuation byte, which cannot start one")

	v.Reset()
	for _, p := range []string{"€", "\xe2", "\x82\xac", " 😀"} {
		_, err = v.Write([]byte(p))
		require.NoError(t, err, "%q: the text so far is valid UTF-8", p)
	}
	assert.NoError(t, v.Close(), "a text that ends on a code point boundary is complete")
}

func TestInvalidTextFailsWith1007AtTheFirstBadByteBeforeTheFrameEnds(t *testing.T) {
	// Proves RFC 6455 R-8.1-1, R-5.6-1 (docs/rfc6455.md).
	// Each case sends frames, the last one only in part: its header
	// announces 1000 bytes, and only the first few follow. The server must
	// fail the connection with 1007 while the rest has not come (RFC 6455
	// §8.1: the endpoint fails the connection when it finds invalid UTF-8),
	// or, for valid text, wait for it. Autobahn calls this "fail fast".
	valid := clientFrame(false, frame.OpText, []byte("a valid first fragment, €"), -1)
	for _, tc := range []struct {
		name   string
		frames [][]byte
	}{
		{"in the first part of a text frame", [][]byte{
			clientFrame(true, frame.OpText, []byte("hello \xed\xa0\x80 world"), 1000)}},
		{"in the first part of a later fragment", [][]byte{valid,
			clientFrame(true, frame.OpContinuation, []byte("hello \xc0\xaf world"), 1000)}},
		{"in a code point split between fragments", [][]byte{
			clientFrame(false, frame.OpText, []byte("split: \xf0\x9f"), -1),
			clientFrame(true, frame.OpContinuation, []byte("\x98\x28 world"), 1000)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			conn, br := upgrade(t, serveFast(t, Echo))
			send(t, conn, bytes.Join(tc.frames, nil))
			assert.Equal(t, 1007, closeCode(t, br, "a close frame with 1007 for invalid UTF-8"),
				"invalid UTF-8 must fail the connection with 1007 at the first bad byte, before the rest of the frame "+
					"arrives (RFC 6455 §8.1, §7.4.1)")
		})
	}

	t.Run("a message that ends inside a code point", func(t *testing.T) {
		conn, br := upgrade(t, serveFast(t, Echo))
		send(t, conn, clientFrame(true, frame.OpText, []byte("price: \xe2\x82"), -1))
		assert.Equal(t, 1007, closeCode(t, br, "a close frame with 1007 for a message that ends inside a code point"),
			"a text message that ends inside a code point is invalid UTF-8: 1007 (RFC 6455 §8.1)")
	})
}
