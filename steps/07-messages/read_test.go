package message

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	frame "github.com/wsfromtcp/workshop/steps/04-frame-decode"
	"github.com/wsfromtcp/workshop/tools/wstest/assert"
	"github.com/wsfromtcp/workshop/tools/wstest/require"
)

// limit is large enough for every message in these tests but the ones
// about the limit.
const limit = 1 << 20

func TestNextReturnsAnUnfragmentedMessage(t *testing.T) {
	// Proves RFC 6455 R-5.4-6 (docs/rfc6455.md).
	cases := []struct {
		name string
		f    *frame.Frame
	}{
		{"a text message", text(true, "Hello")},
		{"a binary message", binary(true, []byte{0x00, 0x01, 0xfe, 0xff})},
		{"an empty text message", text(true, "")},
		{"an empty binary message", binary(true, nil)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := newSource(tc.f)
			msg, ctrl, err := NewReader(src.next, limit).Next()
			require.NoError(t, err, "one %s frame with FIN set is a whole message (RFC 6455 §5.4)%s", tc.f.Opcode, binaryNote(tc.f.Opcode))
			assert.Nil(t, ctrl, "Next returns either a message or a control frame, and this was a data frame")
			require.NotNil(t, msg, "Next must return the message when its last (here only) frame has FIN set")
			assert.Equal(t, tc.f.Opcode, msg.Opcode, "the message has the opcode of its first frame")
			assert.Equal(t, string(tc.f.Payload), string(msg.Data), "an unfragmented message is exactly its frame's payload")
			assert.Equal(t, 1, src.asked, "Next should ask for one frame, the whole message, and return it at once")
		})
	}
}

func TestNextJoinsAMessageSentInThreeFragments(t *testing.T) {
	// Proves RFC 6455 R-5.4-3, R-5.4-6 (docs/rfc6455.md),
	// and also R-6.2-3.
	cases := []struct {
		name   string
		op     frame.Opcode
		pieces []string
	}{
		{"a text message", frame.OpText, []string{"Hel", "lo, ", "world"}},
		{"a binary message", frame.OpBinary, []string{"\x00\x01", "\x02", "\xff\xfe"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			frames := append(fragments(tc.op, tc.pieces...), text(true, "next"))
			src := newSource(frames...)
			r := NewReader(src.next, limit)

			msg, ctrl, err := r.Next()
			require.NoError(t, err, "%s opening with FIN clear, a continuation, and a continuation with FIN set is one valid message (RFC 6455 §5.4)%s", tc.op, binaryNote(tc.op))
			assert.Nil(t, ctrl, "there was no control frame to hand back")
			require.NotNil(t, msg, "Next must keep reading fragments until one has FIN set, then return the message")
			assert.Equal(t, tc.op, msg.Opcode, "a fragmented message has the opcode of its first fragment; the others say 0, continuation (RFC 6455 §5.4)")
			assert.Equal(t, strings.Join(tc.pieces, ""), string(msg.Data), "the message is the payloads of its fragments joined in order (RFC 6455 §5.4)")
			assert.Equal(t, 3, src.asked, "Next should return as soon as the fragment with FIN set arrives, without reading further")

			msg, _, err = r.Next()
			require.NoError(t, err, "after a fragmented message the Reader must be ready for a fresh one: forget the finished message")
			require.NotNil(t, msg)
			assert.Equal(t, "next", string(msg.Data), "the message after a fragmented one must not carry anything over from it")
		})
	}
}

func TestNextLeavesEveryMessageAsItWasWhenTheNextArrives(t *testing.T) {
	// Proves RFC 6455 R-6.2-4 (docs/rfc6455.md).
	// The caller keeps a message while it reads the next ones (the hub of
	// step 9 broadcasts one while its client sends the next), so each call
	// to Next must hand out Data of its own.
	want := []struct {
		op     frame.Opcode
		pieces []string
	}{
		{frame.OpText, []string{"first, in one frame"}},
		{frame.OpText, []string{"second, ", "in ", "three"}},
		{frame.OpBinary, []string{"3rd"}},
		{frame.OpText, []string{"fourth, ", "in two"}},
		{frame.OpBinary, []string{"5th", " in two"}},
		{frame.OpText, []string{"sixth, in one frame, and longer than any before it"}},
		{frame.OpText, []string{"7", "th"}},
	}
	var frames []*frame.Frame
	for _, m := range want {
		frames = append(frames, fragments(m.op, m.pieces...)...)
	}
	src := newSource(frames...)
	r := NewReader(src.next, limit)
	var kept []*Message
	for i, m := range want {
		msg, _, err := readMessage(r)
		require.NoError(t, err, "message %d of %d, %q, is valid (RFC 6455 §5.4)", i+1, len(want), m.pieces)
		require.NotNil(t, msg)
		kept = append(kept, msg)
	}
	for i, m := range want {
		ok := assert.Equal(t, m.op, kept[i].Opcode, "message %d kept its opcode", i+1)
		ok = assert.Equal(t, strings.Join(m.pieces, ""), string(kept[i].Data), "message %d changed while the messages after it were read: a message is its fragments joined (RFC 6455 §5.4), and once Next returns it, its Data belongs to the caller. Start every message in a fresh slice (data = nil), never in the buffer of the message before (data[:0]), which the next append overwrites", i+1) && ok
		if !ok {
			return
		}
	}
}

func TestNextHandsBackAPingBetweenFragments(t *testing.T) {
	// Proves RFC 6455 R-5.4-5, R-5.4-1 (docs/rfc6455.md).
	src := newSource(text(false, "Hel"), ping("are you there?"), cont(true, "lo"))
	r := NewReader(src.next, limit)

	msg, ctrl, err := r.Next()
	require.NoError(t, err, "RFC 6455 §5.4: control frames MAY be injected in the middle of a fragmented message, and an endpoint MUST be capable of handling them")
	assert.Nil(t, msg, "the message is not finished yet, so Next cannot return it")
	require.NotNil(t, ctrl, "Next must hand the ping back as soon as it arrives, so that the caller answers it without waiting for the end of a possibly huge message")
	assert.Equal(t, frame.OpPing, ctrl.Opcode, "the control frame handed back is the ping")
	assert.Equal(t, "are you there?", string(ctrl.Payload), "the ping comes back with its payload, which the pong must echo (RFC 6455 §5.5.3)")
	assert.Equal(t, 2, src.asked, "Next must return the ping before it reads the next fragment")

	msg, ctrl, err = r.Next()
	require.NoError(t, err, "the message goes on after the ping")
	assert.Nil(t, ctrl)
	require.NotNil(t, msg, "the next call to Next must continue the message the ping interrupted")
	assert.Equal(t, "Hello", string(msg.Data), "the ping's payload is not part of the message")
}

func TestNextHandsBackControlAndReservedFramesUnjudged(t *testing.T) {
	for _, op := range []frame.Opcode{frame.OpPing, frame.OpPong, frame.OpClose, 0x3, 0x7, 0xB, 0xF} {
		// FIN clear on a control frame breaks RFC 6455 §5.5 ("MUST NOT be
		// fragmented"), which is step 8's to judge: the opcode alone decides
		// that the frame goes back to the caller.
		for _, fin := range []bool{true, false} {
			t.Run(fmt.Sprintf("opcode %#x, FIN %t", byte(op), fin), func(t *testing.T) {
				f := dataFrame(fin, op, []byte("x"))
				src := newSource(text(false, "a"), f, cont(true, "b"))
				msg, ctrls, err := readMessage(NewReader(src.next, limit))
				require.NoError(t, err, "the Reader hands a %s frame (FIN %t) back to its caller rather than judging it: whether it is allowed (RFC 6455 §5.2 reserves the opcode, §5.5 forbids a control frame without FIN) is the connection's decision (step 8). Look at the opcode before FIN", op, fin)
				require.Len(t, ctrls, 1, "the %s frame must come back from Next, as a control frame", op)
				assert.Same(t, f, ctrls[0], "Next hands back the frame itself")
				require.NotNil(t, msg)
				assert.Equal(t, "ab", string(msg.Data), "a frame handed back is not part of the message")
			})
		}
	}
}

func TestNextRejectsAContinuationWithNothingToContinue(t *testing.T) {
	// Proves RFC 6455 R-5.4-7 (docs/rfc6455.md).
	cases := []struct {
		name   string
		frames []*frame.Frame
	}{
		{"a continuation as the very first frame", []*frame.Frame{cont(true, "lo")}},
		{"a continuation without FIN as the first frame", []*frame.Frame{cont(false, "lo")}},
		{"a continuation after a finished message", []*frame.Frame{text(true, "Hello"), cont(true, "again")}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := newSource(tc.frames...)
			r := NewReader(src.next, limit)
			var err error
			for range len(tc.frames) {
				if _, _, err = r.Next(); err != nil {
					break
				}
			}
			assert.ErrorIs(t, err, ErrUnexpectedContinuation, "a continuation frame (opcode 0) only makes sense after a first fragment with FIN clear (RFC 6455 §5.4); on its own it is a protocol error")
		})
	}
}

func TestNextRejectsANewDataFrameInsideAFragmentedMessage(t *testing.T) {
	// Proves RFC 6455 R-5.4-4 (docs/rfc6455.md).
	cases := []struct {
		name   string
		frames []*frame.Frame
	}{
		{"a text frame inside a text message", []*frame.Frame{text(false, "Hel"), text(true, "lo")}},
		{"a binary frame inside a text message", []*frame.Frame{text(false, "Hel"), binary(true, []byte("lo"))}},
		{"a text frame without FIN inside a binary message", []*frame.Frame{binary(false, []byte{1}), cont(false, "\x02"), text(false, "x")}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := newSource(tc.frames...)
			msg, _, err := readMessage(NewReader(src.next, limit))
			assert.Nil(t, msg, "no message may come out of interleaved fragments")
			assert.ErrorIs(t, err, ErrExpectedContinuation, "once a message has started with FIN clear, the next data frame must be a continuation: RFC 6455 §5.4 says the fragments of one message MUST NOT be interleaved with another's")
		})
	}
}

// badUTF8 are text messages, given as their fragments, that are not UTF-8
// (RFC 3629 §4 lists the well-formed byte sequences).
var badUTF8 = []struct {
	name   string
	pieces []string
}{
	{"an overlong two-byte form of '/'", []string{"\xc0\xaf"}},
	{"an overlong C1 lead byte", []string{"\xc1\xbf"}},
	{"an overlong three-byte form", []string{"\xe0\x80\xaf"}},
	{"an overlong four-byte form", []string{"\xf0\x80\x80\xaf"}},
	{"the UTF-16 surrogate U+D800", []string{"\xed\xa0\x80"}},
	{"the UTF-16 surrogate U+DFFF", []string{"a\xed\xbf\xbfb"}},
	{"a code point above U+10FFFF", []string{"\xf4\x90\x80\x80"}},
	{"the lead byte F5, which could only start code points above U+10FFFF", []string{"\xf5\x80\x80\x80"}},
	{"the byte FF", []string{"\xff"}},
	{"a lone continuation byte", []string{"\x80"}},
	{"a lone continuation byte after text", []string{"Hello \xbf world"}},
	{"a lead byte followed by ASCII", []string{"\xe2\x28\xa1"}},
	{"a two-byte sequence cut short at the end", []string{"caf\xc3"}},
	{"a three-byte sequence cut short at the end", []string{"\xe2\x82"}},
	{"a four-byte sequence cut short at the end", []string{"\xf0\x9f\x98"}},
	{"a sequence cut short at the end of the last fragment", []string{"price: ", "\xe2", "\x82"}},
	{"a sequence cut short before an empty last fragment", []string{"\xe2\x82", ""}},
	{"invalid bytes in a middle fragment", []string{"ok ", "\xc0\xaf", " ok"}},
	{"a code point split across fragments with a bad second byte", []string{"\xf4", "\x90\x80\x80"}},
	{"the sequence of Autobahn case 6.4.1", []string{"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5", "\xf4\x90\x80\x80", "edited"}},
}

func TestNextRejectsTextThatIsNotUTF8(t *testing.T) {
	// Proves RFC 6455 R-8.1-1, R-5.6-1 (docs/rfc6455.md).
	for _, tc := range badUTF8 {
		t.Run(tc.name, func(t *testing.T) {
			src := newSource(fragments(frame.OpText, tc.pieces...)...)
			msg, _, err := readMessage(NewReader(src.next, limit))
			assert.Nil(t, msg, "a text message that is not UTF-8 must not be delivered")
			assert.ErrorIs(t, err, ErrInvalidUTF8, "the pieces %q do not join into valid UTF-8: a text message MUST contain valid UTF-8 (RFC 6455 §5.6), and the endpoint MUST fail the connection otherwise (§8.1)", tc.pieces)
		})
	}
}

func TestNextAcceptsValidUTF8AtEveryEdge(t *testing.T) {
	cases := []struct {
		name string
		s    string
	}{
		{"U+0000", "\x00"},
		{"U+007F, the last one-byte code point", "\x7f"},
		{"U+0080, the first two-byte code point", "\xc2\x80"},
		{"U+07FF, the last two-byte code point", "\xdf\xbf"},
		{"U+0800, the first three-byte code point", "\xe0\xa0\x80"},
		{"U+D7FF, just below the surrogates", "\xed\x9f\xbf"},
		{"U+E000, just above the surrogates", "\xee\x80\x80"},
		{"U+FFFD, the replacement character", "\xef\xbf\xbd"},
		{"U+FFFF, the last three-byte code point", "\xef\xbf\xbf"},
		{"U+10000, the first four-byte code point", "\xf0\x90\x80\x80"},
		{"U+10FFFF, the last code point", "\xf4\x8f\xbf\xbf"},
		{"Greek", "κόσμε"},
		{"an emoji", "😀"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := newSource(text(true, tc.s))
			msg, _, err := readMessage(NewReader(src.next, limit))
			require.NoError(t, err, "%q is valid UTF-8 (RFC 3629 §4): a validator must not be stricter than the standard", tc.s)
			require.NotNil(t, msg)
			assert.Equal(t, tc.s, string(msg.Data))
		})
	}
}

func TestNextAcceptsACodePointSplitAcrossFragments(t *testing.T) {
	// Proves RFC 6455 R-5.6-1 (docs/rfc6455.md).
	cases := []struct {
		name   string
		pieces []string
	}{
		{"€ split 1|2", []string{"\xe2", "\x82\xac"}},
		{"€ split 2|1", []string{"price: \xe2\x82", "\xac 5"}},
		{"€ split 1|1|1", []string{"\xe2", "\x82", "\xac"}},
		{"😀 split 1|3", []string{"\xf0", "\x9f\x98\x80"}},
		{"😀 split 2|2", []string{"\xf0\x9f", "\x98\x80"}},
		{"😀 split 3|1", []string{"\xf0\x9f\x98", "\x80"}},
		{"😀 split 1|1|1|1", []string{"\xf0", "\x9f", "\x98", "\x80"}},
		{"😀 split 2|2 around an empty fragment", []string{"\xf0\x9f", "", "\x98\x80"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := newSource(fragments(frame.OpText, tc.pieces...)...)
			msg, _, err := readMessage(NewReader(src.next, limit))
			require.NoError(t, err, "RFC 6455 §5.6: a text frame might include a partial UTF-8 sequence; only the whole message must be valid. Check each fragment, but carry an unfinished code point over to the next one")
			require.NotNil(t, msg)
			assert.Equal(t, strings.Join(tc.pieces, ""), string(msg.Data))
		})
	}
}

func TestNextRejectsInvalidUTF8BeforeReadingLaterFragments(t *testing.T) {
	// Proves RFC 6455 R-8.1-1 (docs/rfc6455.md).
	cases := []struct {
		name    string
		pieces  []string
		allowed int // fragments Next may read before it must have failed
	}{
		{"a bad byte in the first fragment", []string{"ok \xff", "more", "and more"}, 1},
		{"an overlong form in the first fragment", []string{"\xc0\xaf", "more"}, 1},
		{"a surrogate whose first two bytes end the first fragment", []string{"abc\xed\xa0", "\x80", "more"}, 1},
		{"a code point above U+10FFFF whose first two bytes end the first fragment", []string{"\xf4\x90", "\x80\x80"}, 1},
		{"a bad byte in the second of three fragments", []string{"fine", "\xfe", "more"}, 2},
		{"a split code point with a bad continuation", []string{"\xe2", "\x28", "more"}, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := strictSource(tc.allowed, fragments(frame.OpText, tc.pieces...)...)
			r := NewReader(src.strictNext, limit)
			_, _, err := readMessage(r)
			if errors.Is(err, errReadAhead) {
				assert.Fail(t, "Next read on past a fragment that was already not UTF-8", "Next read past fragment %d of %q although the text was already broken there: check each fragment as it arrives and fail at once, so that a peer cannot make the server wait for (and store) a message that is bad from the start", tc.allowed, tc.pieces)
				return
			}
			assert.ErrorIs(t, err, ErrInvalidUTF8, "the bytes %q can never start valid UTF-8, whatever follows (RFC 6455 §8.1)", tc.pieces[tc.allowed-1])
		})
	}
}

func TestNextLimitsTheMessageSizeSummedOverFragments(t *testing.T) {
	// Proves RFC 6455 R-10.4-1, R-10.4-2 (docs/rfc6455.md).
	const small = 10
	cases := []struct {
		name    string
		frames  []*frame.Frame
		wantErr bool
	}{
		{"exactly the limit in one frame", []*frame.Frame{text(true, "0123456789")}, false},
		{"one byte over the limit in one frame", []*frame.Frame{text(true, "0123456789A")}, true},
		{"exactly the limit in three fragments", fragments(frame.OpBinary, "0123", "4567", "89"), false},
		{"one byte over the limit in three fragments", fragments(frame.OpBinary, "0123", "4567", "89A"), true},
		{"many small fragments over the limit", fragments(frame.OpText, "01", "23", "45", "67", "89", "A", ""), true},
		{"control frames between fragments do not count", []*frame.Frame{text(false, "01234"), ping(strings.Repeat("p", 20)), cont(true, "56789")}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := newSource(tc.frames...)
			msg, _, err := readMessage(NewReader(src.next, small))
			if !tc.wantErr {
				require.NoError(t, err, "a message of at most the limit (%d bytes) must be accepted: the limit is the largest allowed size, not one past it", small)
				assert.Len(t, msg.Data, small)
				return
			}
			assert.Nil(t, msg, "a message over the limit must not be delivered")
			assert.ErrorIs(t, err, ErrTooLarge, "the limit (%d bytes) applies to the whole message, summed over its fragments: otherwise a peer gets round it by sending many small fragments (RFC 6455 §10.4)", small)
		})
	}

	t.Run("fails at the fragment that crosses the limit", func(t *testing.T) {
		src := strictSource(2, fragments(frame.OpBinary, "012345", "6789AB", "more")...)
		_, _, err := readMessage(NewReader(src.strictNext, small))
		if errors.Is(err, errReadAhead) {
			assert.Fail(t, "Next read on past the limit", "the second fragment already took the message over the limit; Next must not read (and store) any more")
			return
		}
		assert.ErrorIs(t, err, ErrTooLarge, "6 + 6 bytes is over the limit of %d (RFC 6455 §10.4)", small)
	})
}

func TestNextAcceptsEmptyFragments(t *testing.T) {
	cases := []struct {
		name   string
		op     frame.Opcode
		pieces []string
	}{
		{"empty fragments around text", frame.OpText, []string{"", "Hi", "", ""}},
		{"a message of empty fragments only", frame.OpText, []string{"", "", ""}},
		{"an empty first fragment of a binary message", frame.OpBinary, []string{"", "\x01\x02"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := newSource(fragments(tc.op, tc.pieces...)...)
			msg, _, err := readMessage(NewReader(src.next, limit))
			require.NoError(t, err, "a fragment may be empty: RFC 6455 §5.4 lets a sender create fragments of any size")
			require.NotNil(t, msg)
			assert.Equal(t, strings.Join(tc.pieces, ""), string(msg.Data))
			assert.Equal(t, tc.op, msg.Opcode)
		})
	}
}

func TestNextDoesNotCheckBinaryAsUTF8(t *testing.T) {
	// Proves RFC 6455 R-6.2-3 (docs/rfc6455.md).
	for _, tc := range badUTF8 {
		t.Run(tc.name, func(t *testing.T) {
			src := newSource(fragments(frame.OpBinary, tc.pieces...)...)
			msg, _, err := readMessage(NewReader(src.next, limit))
			require.NoError(t, err, "a binary message is arbitrary bytes (RFC 6455 §5.6): only text is checked as UTF-8")
			require.NotNil(t, msg)
			assert.Equal(t, strings.Join(tc.pieces, ""), string(msg.Data))
		})
	}
}

func TestNextPassesOnErrorsFromTheFrameSource(t *testing.T) {
	src := newSource()
	_, _, err := NewReader(src.next, limit).Next()
	assert.ErrorIs(t, err, io.EOF, "when the FrameSource fails (here io.EOF: the peer is gone), Next must return that error, so that the caller can tell a vanished peer from a protocol error")

	src = newSource(text(false, "Hel"))
	msg, _, err := readMessage(NewReader(src.next, limit))
	assert.Nil(t, msg, "half a message is no message")
	assert.ErrorIs(t, err, io.EOF, "an error in the middle of a message is passed on too")
}

func TestNextReadsFramesFromTheWireOneByteAtATime(t *testing.T) {
	// RFC 6455 §5.7: a fragmented unmasked text message, "Hel" then "lo",
	// here with an unmasked ping "Hello" between the fragments.
	wire := []byte{
		0x01, 0x03, 'H', 'e', 'l',
		0x89, 0x05, 'H', 'e', 'l', 'l', 'o',
		0x80, 0x02, 'l', 'o',
	}
	br := bufio.NewReader(iotest.OneByteReader(bytes.NewReader(wire)))
	r := NewReader(func() (*frame.Frame, error) { return frame.ReadFrame(br, limit) }, limit)

	msg, ctrls, err := readMessage(r)
	require.NoError(t, err, "the frames of RFC 6455 §5.7, read by step 4's ReadFrame even when the bytes trickle in one at a time, make one message")
	require.Len(t, ctrls, 1, "the ping between the fragments comes back on its own")
	assert.Equal(t, "Hello", string(ctrls[0].Payload))
	require.NotNil(t, msg)
	assert.Equal(t, "Hello", string(msg.Data), "\"Hel\" + \"lo\"")
	assert.Equal(t, frame.OpText, msg.Opcode)
}
