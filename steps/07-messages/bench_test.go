package message

import (
	"strings"
	"testing"

	frame "github.com/wsfromtcp/workshop/steps/04-frame-decode"
)

// BenchmarkNextText measures a 1 MiB text message in 4 KiB fragments, most
// of them ending inside a code point: the UTF-8 check is the hot path.
func BenchmarkNextText(b *testing.B) {
	text := strings.Repeat("héllo wörld € 😀 ", 1<<20/24)
	var pieces []string
	for len(text) > 4096 {
		pieces = append(pieces, text[:4096])
		text = text[4096:]
	}
	frames := fragments(frame.OpText, append(pieces, text)...)
	b.SetBytes(int64(len(frames)) * 4096)
	for b.Loop() {
		src := newSource(frames...)
		if _, _, err := readMessage(NewReader(src.next, 2<<20)); err != nil {
			b.Fatal(err)
		}
	}
}
