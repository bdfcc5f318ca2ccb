package message

import (
	"errors"
	"testing"
	"unicode/utf8"

	frame "github.com/wsfromtcp/workshop/steps/04-frame-decode"
)

// FuzzReader cuts a payload into fragments (each byte of cuts is a
// fragment's length times two, plus one when a ping follows it) and checks
// that the Reader never panics and agrees with the rules: the message is
// the payload when it is within the limit and, for text, valid UTF-8;
// otherwise the error says which rule it broke.
func FuzzReader(f *testing.F) {
	f.Add([]byte("Hello"), []byte{6}, true)
	f.Add([]byte("\xe2\x82\xac"), []byte{2, 3}, true)
	f.Add([]byte("\xf0\x9f\x98\x80!"), []byte{4, 2, 2}, true)
	f.Add([]byte("κόσμε\xf4\x90\x80\x80edited"), []byte{22, 8}, true)
	f.Add([]byte{0xff, 0x00, 0xc0}, []byte{}, false)
	f.Add(make([]byte, 101), []byte{100}, false)
	f.Fuzz(func(t *testing.T, payload, cuts []byte, isText bool) {
		const small = 100
		op := frame.OpBinary
		if isText {
			op = frame.OpText
		}
		var frames []*frame.Frame
		pings := 0
		rest := payload
		for i, c := range cuts {
			n := min(int(c>>1), len(rest))
			o := frame.OpContinuation
			if i == 0 {
				o = op
			}
			frames = append(frames, dataFrame(false, o, rest[:n]))
			rest = rest[n:]
			if c&1 == 1 {
				frames = append(frames, ping("p"))
				pings++
			}
		}
		last := frame.OpContinuation
		if len(cuts) == 0 {
			last = op
		}
		frames = append(frames, dataFrame(true, last, rest))

		src := newSource(frames...)
		msg, ctrls, err := readMessage(NewReader(src.next, small))

		tooBig := len(payload) > small
		badText := isText && !utf8.Valid(payload)
		switch {
		case err == nil:
			if tooBig || badText {
				t.Fatalf("Next accepted a message of %d bytes (limit %d, text %t, valid UTF-8 %t)", len(payload), small, isText, utf8.Valid(payload))
			}
			if string(msg.Data) != string(payload) || msg.Opcode != op {
				t.Fatalf("Next returned %s %q, want %s %q", msg.Opcode, msg.Data, op, payload)
			}
			if len(ctrls) != pings {
				t.Fatalf("Next handed back %d pings, want %d", len(ctrls), pings)
			}
		case errors.Is(err, ErrInvalidUTF8):
			if !badText {
				t.Fatalf("Next rejected %q as invalid UTF-8 (text %t)", payload, isText)
			}
		case errors.Is(err, ErrTooLarge):
			if !tooBig {
				t.Fatalf("Next rejected %d bytes as over the limit of %d", len(payload), small)
			}
		default:
			t.Fatalf("Next failed with %v", err)
		}
		if !tooBig && badText && !errors.Is(err, ErrInvalidUTF8) {
			t.Fatalf("Next did not reject invalid UTF-8 %q: %v", payload, err)
		}
		if tooBig && !badText && !errors.Is(err, ErrTooLarge) {
			t.Fatalf("Next did not reject %d bytes over the limit of %d: %v", len(payload), small, err)
		}
	})
}
