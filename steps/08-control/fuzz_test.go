package control

import (
	"testing"
	"unicode/utf8"
)

// FuzzParseClose feeds ParseClose any payload: it must never panic, and a
// payload it accepts must come back byte for byte from ClosePayload.
func FuzzParseClose(f *testing.F) {
	for _, seed := range [][]byte{nil, {0x03}, {0x03, 0xe8}, {0x03, 0xe9, 'b', 'y', 'e'}, {0x03, 0xe8, 0xff}, {0x13, 0x88}} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		code, reason, err := ParseClose(payload)
		if err != nil {
			return
		}
		if !utf8.ValidString(reason) {
			t.Fatalf("ParseClose(% x) accepted a reason that is not UTF-8", payload)
		}
		if len(payload) <= 125 {
			if got := ClosePayload(code, reason); string(got) != string(payload) {
				t.Fatalf("ClosePayload(%v, %q) = [% x], want [% x], the payload ParseClose read them from", code, reason, got, payload)
			}
		}
	})
}
