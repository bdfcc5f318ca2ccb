package handshake

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/wsfromtcp/workshop/tools/wstest"
	"github.com/wsfromtcp/workshop/tools/wstest/assert"
	"github.com/wsfromtcp/workshop/tools/wstest/require"
)

// sampleHandshake is the client's opening handshake of RFC 6455 §1.3.
const sampleHandshake = wstest.RFCHandshake

// exchange runs Upgrade on a raw request and parses what it wrote with
// net/http's response reader: an independent judge of the HTTP it wrote.
type exchange struct {
	err       error          // what Upgrade returned
	resp      *http.Response // nil when Upgrade wrote nothing
	body      string
	afterBody string // what Upgrade wrote after the body (or after the head of a 101)
	raw       string
	leftover  string // what Upgrade left unread in its reader
}

func upgrade(t *testing.T, br *bufio.Reader) exchange {
	t.Helper()
	var out bytes.Buffer
	var x exchange
	_, x.err = Upgrade(br, &out)
	x.raw = out.String()
	rest, _ := io.ReadAll(br)
	x.leftover = string(rest)
	if out.Len() == 0 {
		return x
	}
	written := bufio.NewReader(&out)
	resp, err := http.ReadResponse(written, nil)
	require.NoError(t, err, "the response must be valid HTTP/1.1; Upgrade wrote:\n%s", x.raw)
	body, _ := io.ReadAll(resp.Body)
	after, _ := io.ReadAll(written)
	x.resp, x.body, x.afterBody = resp, string(body), string(after)
	return x
}

// assertHeadEndsLinesInCRLF checks the line endings of the response head
// that Upgrade wrote: Go's HTTP client forgives a bare LF, but other
// clients do not.
func assertHeadEndsLinesInCRLF(t *testing.T, raw string) {
	t.Helper()
	head, _, found := strings.Cut(raw, "\r\n\r\n")
	if !assert.True(t, found, "every line of the response head ends in CRLF, and an empty line ends the head: CRLF CRLF (RFC 9112 §2.1); Upgrade wrote %q", raw) {
		return
	}
	bare := strings.Count(head, "\n") - strings.Count(head, "\r\n")
	assert.Zero(t, bare, "every line of the response head ends in CRLF, not a bare LF (RFC 9112 §2.1, RFC 6455 §4.2.2); Upgrade wrote %q", raw)
}

func upgradeString(t *testing.T, raw string) exchange {
	t.Helper()
	return upgrade(t, bufio.NewReader(strings.NewReader(raw)))
}

// withHeader replaces (or, with value "", removes) one header of the sample.
func withHeader(name, value string) string {
	return wstest.WithHeader(sampleHandshake, name, value)
}

func TestUpgradeAcceptsValidUpgradeRequests(t *testing.T) {
	// Proves RFC 6455 R-4.2.2-10 (docs/rfc6455.md),
	// and also R-4.2.2-7, R-4.2.2-9, R-9-2, R-4.1-4, R-4.1-5.
	cases := []struct{ name, raw string }{
		{"accepts the RFC 6455 §1.3 sample", sampleHandshake},
		{"accepts Upgrade in any case", withHeader("Upgrade", "WebSocket")},
		{"accepts Upgrade among other protocols", withHeader("Upgrade", "h2c, websocket")},
		{"accepts Connection as a list, as Firefox sends it", withHeader("Connection", "keep-alive, Upgrade")},
		{"accepts Connection in lower case", withHeader("Connection", "upgrade")},
		{"accepts Upgrade in a second Connection field", strings.Replace(withHeader("Connection", "keep-alive"), "Origin:", "Connection: Upgrade\r\nOrigin:", 1)},
		{"accepts lower-case header names", "GET /chat HTTP/1.1\r\nhost: a\r\nupgrade: websocket\r\nconnection: upgrade\r\nsec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\nsec-websocket-version: 13\r\n\r\n"},
		{"accepts unknown headers", strings.Replace(sampleHandshake, "Origin:", "X-Anything: 1\r\nOrigin:", 1)},
		{"accepts an offer of an extension, and takes none", strings.Replace(sampleHandshake, "Origin:", "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\nOrigin:", 1)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			x := upgradeString(t, tc.raw)
			require.NoError(t, x.err, "this is a valid opening handshake (RFC 6455 §4.2.1)")
			require.NotNil(t, x.resp, "Upgrade must answer a valid handshake")
			assert.Equal(t, http.StatusSwitchingProtocols, x.resp.StatusCode, "a valid handshake is answered with 101 Switching Protocols (RFC 6455 §4.2.2)")
			assert.True(t, strings.EqualFold(x.resp.Header.Get("Upgrade"), "websocket"), "the 101 carries Upgrade: websocket (RFC 6455 §4.2.2 item 5.2)")
			assert.True(t, strings.EqualFold(x.resp.Header.Get("Connection"), "Upgrade"), "the 101 carries Connection: Upgrade (RFC 6455 §4.2.2 item 5.3)")
			assert.Equal(t, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", x.resp.Header.Get("Sec-WebSocket-Accept"),
				"the 101 proves the server read the key: Sec-WebSocket-Accept (RFC 6455 §4.2.2 item 5.4)")
			assert.Empty(t, x.resp.Header.Get("Sec-WebSocket-Protocol"), "the server selects no subprotocol, so it must not name one (RFC 6455 §4.2.2 item 5.5)")
			assert.Empty(t, x.resp.Header.Get("Sec-WebSocket-Extensions"), "the server takes no extension, so it must not name one (RFC 6455 §4.2.2 item 5.6, §9)")
			assertHeadEndsLinesInCRLF(t, x.raw)
			assert.Empty(t, x.afterBody, "nothing follows the head of a 101 but frames: no body (RFC 6455 §4.2.2)")
		})
	}
}

func TestUpgradeRejectsInvalidRequestsWith400(t *testing.T) {
	// Proves RFC 6455 R-4.2.1-1 (docs/rfc6455.md),
	// and also R-4.1-1, R-4.1-3, R-4.1-4, R-4.1-5, R-4.1-6, R-4.1-7.
	cases := []struct {
		name string
		raw  string
		want error
	}{
		{"rejects POST", strings.Replace(sampleHandshake, "GET", "POST", 1), ErrMethod},
		{"rejects a lower-case method", strings.Replace(sampleHandshake, "GET", "get", 1), ErrMethod},
		{"rejects HTTP/1.0", strings.Replace(sampleHandshake, "HTTP/1.1", "HTTP/1.0", 1), ErrHTTPVersion},
		{"rejects a target that is not a path", strings.Replace(sampleHandshake, "/chat", "http://x/chat", 1), ErrTarget},
		{"rejects a request without Host", withHeader("Host", ""), ErrHost},
		{"rejects two Host headers", strings.Replace(sampleHandshake, "Upgrade:", "Host: other\r\nUpgrade:", 1), ErrHost},
		{"rejects a request without Upgrade", withHeader("Upgrade", ""), ErrUpgrade},
		{"rejects an upgrade to another protocol", withHeader("Upgrade", "h2c"), ErrUpgrade},
		{"rejects a request without Connection", withHeader("Connection", ""), ErrConnection},
		{"rejects Connection without the Upgrade token", withHeader("Connection", "keep-alive"), ErrConnection},
		{"rejects a token that only contains upgrade", withHeader("Connection", "upgraded"), ErrConnection},
		{"rejects a request without a key", withHeader("Sec-WebSocket-Key", ""), ErrKey},
		{"rejects a key that is not base64", withHeader("Sec-WebSocket-Key", "not base64!"), ErrKey},
		{"rejects a key of 15 bytes", withHeader("Sec-WebSocket-Key", "AAAAAAAAAAAAAAAAAAAA"), ErrKey},
		{"rejects a key of 17 bytes", withHeader("Sec-WebSocket-Key", "AAAAAAAAAAAAAAAAAAAAAAA="), ErrKey},
		{"rejects 24 characters that are not base64", withHeader("Sec-WebSocket-Key", "!!!!!!!!!!!!!!!!!!!!!!=="), ErrKey},
		{"rejects two keys", strings.Replace(sampleHandshake, "Origin:", "Sec-WebSocket-Key: x3JJHMbDL1EzLkh9GBhXDw==\r\nOrigin:", 1), ErrKey},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			x := upgradeString(t, tc.raw)
			assert.ErrorIs(t, x.err, tc.want, "RFC 6455 §4.2.1 lists what a handshake must have; Upgrade must say which rule failed")
			if !assert.NotNil(t, x.resp, "a refused handshake still gets an HTTP answer (RFC 6455 §4.2.1: \"an appropriate error code (such as 400 Bad Request)\")") {
				return
			}
			assert.Equal(t, http.StatusBadRequest, x.resp.StatusCode, "anything but the version is answered with 400 Bad Request (RFC 6455 §4.2.1)")
			assert.True(t, x.resp.Close, "the server closes the connection after refusing, so it says Connection: close")
			assert.NotEmpty(t, strings.TrimSpace(x.body), "a short text body says what was wrong, for whoever tries by hand")
			assert.Equal(t, int64(len(x.body)), x.resp.ContentLength, "a refusal says how long its body is: Content-Length (RFC 9112 §6.3)")
			assert.Empty(t, x.afterBody, "the body is exactly Content-Length bytes, nothing more (RFC 9112 §6.3)")
			assertHeadEndsLinesInCRLF(t, x.raw)
			assert.Empty(t, x.resp.Header.Get("Sec-WebSocket-Accept"), "a refusal must not look like an acceptance")
		})
	}
}

func TestUpgradeAnswers426WithTheSupportedVersion(t *testing.T) {
	// Proves RFC 6455 R-4.2.2-4, R-4.4-1 (docs/rfc6455.md),
	// and also R-4.1-8, R-4.1-9.
	cases := []struct{ name, raw string }{
		{"answers version 8", withHeader("Sec-WebSocket-Version", "8")},
		{"answers a request without a version", withHeader("Sec-WebSocket-Version", "")},
		{"answers version 8 without a key", strings.Replace(withHeader("Sec-WebSocket-Version", "8"), "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n", "", 1)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			x := upgradeString(t, tc.raw)
			assert.ErrorIs(t, x.err, ErrVersion, "only version 13 is spoken (RFC 6455 §4.1), and the version is checked before the key, "+
				"whose form an older version may not share (RFC 6455 §4.4)")
			if !assert.NotNil(t, x.resp, "a client of another version must get an answer") {
				return
			}
			assert.Equal(t, http.StatusUpgradeRequired, x.resp.StatusCode, "RFC 6455 §4.4: answer another version with an error such as 426 Upgrade Required")
			assert.Equal(t, "13", x.resp.Header.Get("Sec-WebSocket-Version"), "RFC 6455 §4.4: the answer names the versions the server understands, so the client can retry with one")
			assert.True(t, x.resp.Close, "the server closes the connection after refusing, so it says Connection: close")
		})
	}
}

func TestUpgradeAnswersABrokenHeadWith400(t *testing.T) {
	// Proves RFC 6455 R-10.7-4, R-4.2.1-1 (docs/rfc6455.md).
	x := upgradeString(t, "GET / HTTP/1.1\r\nHost: a\r\nno colon here\r\n\r\n")
	assert.Error(t, x.err, "a head that step 2 cannot read is not a handshake")
	if assert.NotNil(t, x.resp, "a malformed head still gets an answer") {
		assert.Equal(t, http.StatusBadRequest, x.resp.StatusCode, "a malformed head is a bad request (RFC 6455 §4.2.1)")
	}

	x = upgradeString(t, "")
	assert.Equal(t, io.EOF, x.err, "a client that hangs up before sending anything is no error: return io.EOF itself")
	assert.Empty(t, x.raw, "nobody is there to read an answer, so write nothing")
}

func TestUpgradeKeepsTheBytesThatArriveWithTheHead(t *testing.T) {
	frame := "\x81\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58" // RFC 6455 §5.7: a masked "Hello"
	x := upgradeString(t, sampleHandshake+frame)
	require.NoError(t, x.err)
	assert.Equal(t, frame, x.leftover, "a client may send its first frame right after the head, in the same TCP segment: "+
		"it must still be in the *bufio.Reader after the handshake, because the frames are read from there (RFC 6455 §1.3)")
}

func TestUpgradeWorksOneByteAtATime(t *testing.T) {
	br := bufio.NewReader(iotest.OneByteReader(strings.NewReader(sampleHandshake)))
	x := upgrade(t, br)
	require.NoError(t, x.err, "TCP may deliver the handshake in pieces of any size")
	require.NotNil(t, x.resp)
	assert.Equal(t, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", x.resp.Header.Get("Sec-WebSocket-Accept"))
}

func FuzzUpgrade(f *testing.F) {
	f.Add([]byte(sampleHandshake))
	f.Add([]byte(withHeader("Sec-WebSocket-Version", "8")))
	f.Add([]byte("GET / HTTP/1.1\r\n\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var out bytes.Buffer
		_, err := Upgrade(bufio.NewReader(bytes.NewReader(data)), &out)
		if out.Len() == 0 {
			if !errors.Is(err, io.EOF) {
				t.Fatalf("Upgrade(%q) wrote nothing but returned %v; only a client that sent nothing gets no answer", data, err)
			}
			return
		}
		resp, rerr := http.ReadResponse(bufio.NewReader(&out), nil)
		if rerr != nil {
			t.Fatalf("Upgrade(%q) wrote an invalid response %q: %v", data, out.String(), rerr)
		}
		switch resp.StatusCode {
		case 101, 400, 426:
		default:
			t.Fatalf("Upgrade(%q) answered %d; only 101, 400 and 426 are expected", data, resp.StatusCode)
		}
		if (resp.StatusCode == 101) != (err == nil) {
			t.Fatalf("Upgrade(%q) answered %d but returned %v", data, resp.StatusCode, err)
		}
	})
}
