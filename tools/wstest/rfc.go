package wstest

import "strings"

// RFCHandshake is the client's opening handshake of RFC 6455 §1.3
// (https://www.rfc-editor.org/rfc/rfc6455#section-1.3), byte for byte, with
// the CRLF line ends HTTP requires: the request every step from 2 on must
// read and answer, kept here once for all of their tests.
const RFCHandshake = "GET /chat HTTP/1.1\r\n" +
	"Host: server.example.com\r\n" +
	"Upgrade: websocket\r\n" +
	"Connection: Upgrade\r\n" +
	"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
	"Origin: http://example.com\r\n" +
	"Sec-WebSocket-Protocol: chat, superchat\r\n" +
	"Sec-WebSocket-Version: 13\r\n" +
	"\r\n"

// WithHeader returns the request head with the header name (as written,
// case and all) given value, or removed when value is "". A header the head
// does not have is left out: the helper makes broken variants of a known
// request, one header at a time.
func WithHeader(head, name, value string) string {
	var b strings.Builder
	for _, line := range strings.SplitAfter(head, "\r\n") {
		if strings.HasPrefix(line, name+":") {
			if value != "" {
				b.WriteString(name + ": " + value + "\r\n")
			}
			continue
		}
		b.WriteString(line)
	}
	return b.String()
}

// Pattern returns n bytes counting up from 0 and wrapping at 256: a payload
// in which a byte lost, repeated or moved shows, unlike one of zeros.
func Pattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i)
	}
	return b
}
