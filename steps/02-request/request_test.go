package request

import (
	"bufio"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/wsfromtcp/workshop/tools/wstest"
	"github.com/wsfromtcp/workshop/tools/wstest/assert"
	"github.com/wsfromtcp/workshop/tools/wstest/require"
)

// sampleHandshake is the client's opening handshake of RFC 6455 §1.3.
const sampleHandshake = wstest.RFCHandshake

func read(s string) (*Request, error) {
	return ReadRequest(bufio.NewReader(strings.NewReader(s)))
}

func TestReadRequestParsesTheRFCOpeningHandshake(t *testing.T) {
	r, err := read(sampleHandshake)
	require.NoError(t, err, "the RFC 6455 §1.3 sample handshake is a valid request")
	require.NotNil(t, r)

	assert.Equal(t, "GET", r.Method, "the method is the first word of the request line (RFC 9112 §3)")
	assert.Equal(t, "/chat", r.Target, "the request-target is the second word (RFC 9112 §3.2)")
	assert.Equal(t, "HTTP/1.1", r.Proto, "the version is the third word (RFC 9112 §2.3)")
	assert.Equal(t, 1, r.ProtoMajor, "HTTP/1.1 has major version 1")
	assert.Equal(t, 1, r.ProtoMinor, "HTTP/1.1 has minor version 1")
	for name, want := range map[string]string{
		"Host":                   "server.example.com",
		"Upgrade":                "websocket",
		"Connection":             "Upgrade",
		"Sec-WebSocket-Key":      "dGhlIHNhbXBsZSBub25jZQ==",
		"Origin":                 "http://example.com",
		"Sec-WebSocket-Protocol": "chat, superchat",
		"Sec-WebSocket-Version":  "13",
	} {
		assert.Equal(t, want, r.Header.Get(name), "header %s of the RFC 6455 §1.3 sample", name)
	}
}

func TestReadRequestKeepsRepeatedHeadersInOrder(t *testing.T) {
	r, err := read("GET / HTTP/1.1\r\nHost: a\r\nSec-WebSocket-Protocol: chat\r\nX: 1\r\nsec-websocket-protocol: superchat\r\n\r\n")
	require.NoError(t, err)
	assert.Equal(t, []string{"chat", "superchat"}, r.Header.Values("Sec-WebSocket-Protocol"),
		"a field sent twice keeps both values in arrival order, and the second spelling is the same field (RFC 9110 §5.2, §5.3)")
}

func TestReadRequestTrimsSpaceAroundValues(t *testing.T) {
	r, err := read("GET / HTTP/1.1\r\nHost:example.com\r\nUpgrade: \t websocket \t \r\nX-Empty:\r\nX-Inner: a  b\r\n\r\n")
	require.NoError(t, err)
	assert.Equal(t, "example.com", r.Header.Get("Host"), "the space after the colon is optional (OWS, RFC 9112 §5.1)")
	assert.Equal(t, "websocket", r.Header.Get("Upgrade"), "spaces and tabs around a value are not part of it (RFC 9112 §5.1)")
	assert.Equal(t, []string{""}, r.Header.Values("X-Empty"), "an empty value is allowed and still counts as a field")
	assert.Equal(t, "a  b", r.Header.Get("X-Inner"), "spaces inside a value are part of it")
}

func TestReadRequestAcceptsBareLineFeeds(t *testing.T) {
	r, err := read("GET /chat HTTP/1.1\nHost: a\nUpgrade: websocket\n\n")
	require.NoError(t, err, "a recipient MAY accept a bare LF as a line terminator (RFC 9112 §2.2), and tools like nc send one")
	assert.Equal(t, "websocket", r.Header.Get("upgrade"))
}

func TestReadRequestWorksOneByteAtATime(t *testing.T) {
	br := bufio.NewReader(iotest.OneByteReader(strings.NewReader(sampleHandshake + "frame bytes")))
	r, err := ReadRequest(br)
	require.NoError(t, err, "TCP may deliver the head in pieces of any size; ReadRequest must not assume one read holds a line")
	assert.Equal(t, "dGhlIHNhbXBsZSBub25jZQ==", r.Header.Get("Sec-WebSocket-Key"))
	rest, err := io.ReadAll(br)
	require.NoError(t, err)
	assert.Equal(t, "frame bytes", string(rest), "the bytes after the head stay in the reader")
}

func TestReadRequestLeavesTheBytesAfterTheHeadUnread(t *testing.T) {
	frame := "\x81\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58" // RFC 6455 §5.7: a masked "Hello"
	br := bufio.NewReader(strings.NewReader(sampleHandshake + frame))
	_, err := ReadRequest(br)
	require.NoError(t, err)
	rest, err := io.ReadAll(br)
	require.NoError(t, err)
	assert.Equal(t, frame, string(rest), "a client may send its first frame right behind the head: "+
		"ReadRequest must stop exactly after the empty line, so that the frame is still in the *bufio.Reader (RFC 6455 §1.3)")
}

func TestReadRequestRejectsMalformedRequestLines(t *testing.T) {
	// Proves RFC 6455 R-4.2.1-1 (docs/rfc6455.md).
	cases := []struct{ name, line string }{
		{"rejects a missing version", "GET /chat"},
		{"rejects two spaces between parts", "GET  /chat HTTP/1.1"},
		{"rejects a trailing space", "GET /chat HTTP/1.1 "},
		{"rejects a lower-case version", "GET /chat http/1.1"},
		{"rejects a version without a minor number", "GET /chat HTTP/1"},
		{"rejects a version with two-digit numbers", "GET /chat HTTP/10.1"},
		{"rejects a method that is not a token", "G(T /chat HTTP/1.1"},
		{"rejects four parts", "GET /chat extra HTTP/1.1"},
		{"rejects a control byte in the target", "GET /ch\x01at HTTP/1.1"},
		{"rejects a CR inside the line", "GET /chat\r HTTP/1.1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := read(tc.line + "\r\nHost: a\r\n\r\n")
			assert.ErrorIs(t, err, ErrRequestLine, "%q is not method SP request-target SP HTTP-version (RFC 9112 §3)", tc.line)
		})
	}
}

func TestReadRequestRejectsMalformedHeaderLines(t *testing.T) {
	// Proves RFC 6455 R-4.2.1-1 (docs/rfc6455.md).
	cases := []struct{ name, line string }{
		{"rejects a line without a colon", "Upgrade websocket"},
		{"rejects a space before the colon", "Upgrade : websocket"},
		{"rejects an empty field name", ": websocket"},
		{"rejects a name that is not a token", "Up(grade): websocket"},
		{"rejects obsolete line folding", " websocket"},
		{"rejects obsolete line folding that holds a colon", "\tX-Folded: yes"},
		{"rejects a control byte in the value", "Upgrade: web\x00socket"},
		{"rejects a CR inside a line", "Upgrade: web\rsocket"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := read("GET / HTTP/1.1\r\nHost: a\r\n" + tc.line + "\r\n\r\n")
			assert.ErrorIs(t, err, ErrHeaderLine, "%q is not field-name \":\" OWS field-value OWS (RFC 9112 §5.1)", tc.line)
		})
	}
}

// headOf makes a valid request head of exactly n bytes, padded in one header.
func headOf(n int) string {
	start, end := "GET / HTTP/1.1\r\nX-Pad: ", "\r\n\r\n"
	return start + strings.Repeat("a", n-len(start)-len(end)) + end
}

func TestReadRequestLimitsTheSizeOfTheHead(t *testing.T) {
	// Proves RFC 6455 R-10.7-1 (docs/rfc6455.md).
	_, err := read(headOf(MaxHeadBytes))
	assert.NoError(t, err, "a head of exactly MaxHeadBytes bytes, counting every line ending, is allowed (docs/02-request.md, A limit)")

	_, err = read(headOf(MaxHeadBytes + 1))
	assert.ErrorIs(t, err, ErrHeadTooLarge, "one byte over MaxHeadBytes, counting every line ending, must fail: without a limit a client can make the server buffer without end (docs/02-request.md, A limit)")

	// A line that, as far as the head is concerned, never ends: a megabyte
	// without a line feed. (A truly endless one would make a reader that
	// does not count as it reads take all the memory there is.)
	endless := &countingReader{r: io.MultiReader(strings.NewReader("GET / HTTP/1.1\r\nX: "), strings.NewReader(strings.Repeat("a", 1<<20)))}
	br := bufio.NewReader(endless)
	_, err = ReadRequest(br)
	assert.ErrorIs(t, err, ErrHeadTooLarge, "a line that never ends must fail once it passes the limit, not be read forever")
	assert.LessOrEqual(t, endless.n, MaxHeadBytes+2*br.Size(),
		"ReadRequest read %d bytes of a line that never ends before it gave up: count the bytes as they arrive, so that no more than "+
			"MaxHeadBytes and a buffer is ever read (bufio.Reader.ReadSlice hands out one buffer at a time; ReadString and ReadBytes read the whole line first; docs/02-request.md, A limit)", endless.n)
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

func TestReadRequestReportsEveryTruncationAsUnexpectedEOF(t *testing.T) {
	_, err := read("")
	assert.Equal(t, io.EOF, err, "a client that connects and sends nothing is not an error worth reporting: return io.EOF itself")

	for n := 1; n < len(sampleHandshake); n++ {
		_, err := read(sampleHandshake[:n])
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			assert.Fail(t, "a head cut short must fail with io.ErrUnexpectedEOF, even when it stops between two lines: only a connection closed before the first byte is io.EOF (docs/02-request.md)",
				"cut after %d of %d bytes (%q): got %v", n, len(sampleHandshake), sampleHandshake[:n], err)
			return
		}
	}
}
