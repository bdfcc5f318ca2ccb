package control

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
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

// FuzzReadMessageNeverPanics feeds a Conn any bytes as if a client sent
// them: ReadMessage must never panic, and must end with a *CloseError once
// the bytes run out, whatever they were.
func FuzzReadMessageNeverPanics(f *testing.F) {
	// Proves RFC 6455 R-10.7-1 (docs/rfc6455.md).
	hello := []byte{0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58} // RFC 6455 §5.7
	for _, seed := range [][]byte{
		hello,
		{0x89, 0x80, 1, 2, 3, 4},             // an empty masked ping
		{0x88, 0x82, 0, 0, 0, 0, 0x03, 0xe8}, // close 1000
		{0x01, 0x81, 0, 0, 0, 0, 0xe2, 0x80, 0x81, 0, 0, 0, 0, 0x82}, // a code point split across fragments, cut short
		{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
		append(append([]byte{}, hello...), hello...),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, wire []byte) {
		server, client := net.Pipe()
		defer client.Close()
		go func() { _, _ = io.Copy(io.Discard, client) }() // whatever the server answers
		c := NewConn(server, bufio.NewReader(bytes.NewReader(wire)))
		for range len(wire) + 1 {
			_, _, err := c.ReadMessage()
			if err == nil {
				continue
			}
			var ce *CloseError
			if !errors.As(err, &ce) {
				t.Fatalf("ReadMessage ended with %v, want a *CloseError", err)
			}
			return
		}
		t.Fatalf("ReadMessage returned more messages than there were bytes in % x", wire)
	})
}
