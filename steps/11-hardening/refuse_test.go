package hardening

import (
	"bufio"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/wsfromtcp/workshop/tools/wstest"
	"github.com/wsfromtcp/workshop/tools/wstest/assert"
	"github.com/wsfromtcp/workshop/tools/wstest/require"
)

func TestAnOversizedHeadGets431AndTheResponseIsRead(t *testing.T) {
	// Proves RFC 6455 R-10.7-4 (docs/rfc6455.md).
	srv := start(t, quiet())
	conn := wstest.Dial(t, srv.Addr().String())
	// 64 KB of header fields, all sent before the answer is read: a server
	// that closes with them unread makes the kernel send a reset, which
	// destroys its answer before the client sees it.
	head := "GET / HTTP/1.1\r\nHost: x\r\n" + strings.Repeat("X-Filler: "+strings.Repeat("f", 90)+"\r\n", 640) + "\r\n"
	_, err := io.WriteString(conn, head)
	require.NoError(t, err)
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	require.NoError(t, err, "a head over the limit must get an HTTP answer")
	_, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, 431, resp.StatusCode, "a head over the limit is 431 Request Header Fields Too Large (RFC 6585 §5), not 400")
	_, err = br.ReadByte()
	assert.ErrorIs(t, err, io.EOF, "attack: a client sends a huge head; the server answers and closes with the rest unread, and the "+
		"kernel sends a reset, which may destroy the answer before the client reads it. Fix: after the error response, shut "+
		"down the sending side (a FIN, which the client reads as the end) and read what still comes for a while before closing: "+
		"a lingering close (RFC 9112 §9.6)")
}

func TestAnOverlongRequestTargetGets414(t *testing.T) {
	// Proves RFC 6455 R-10.7-4 (docs/rfc6455.md).
	srv := start(t, quiet())
	conn := wstest.Dial(t, srv.Addr().String())
	// A request line of 16 KiB, longer than step 2's whole head limit,
	// sent in one go before the answer is read.
	_, err := io.WriteString(conn, "GET /"+strings.Repeat("a", 16<<10)+" HTTP/1.1\r\nHost: x\r\n\r\n")
	require.NoError(t, err)
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	require.NoError(t, err, "a request line over the limit must get an HTTP answer, after a lingering close like the 431's")
	_, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, 414, resp.StatusCode, "attack: a client sends a request-target of 16 KiB, and learns only that its head was too large. "+
		"Fix: when the head runs over the limit before its first line has ended, the request line is what is too long: "+
		"answer 414 URI Too Long (RFC 9110 §15.5.15), and 431 only for too many header fields (RFC 6585 §5)")
}

func TestPlainHTTPOnTheTLSPortGets400(t *testing.T) {
	// Proves RFC 6455 R-10.7-4 (docs/rfc6455.md).
	srv, _ := startWithTLS(t, 0)
	conn := wstest.Dial(t, srv.Addr().String())
	_, err := io.WriteString(conn, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err, "attack (by mistake): http:// to the https:// port gets an empty reply, and nobody knows why. "+
		"Fix: a TLS connection starts with a handshake record (byte 0x16); anything else gets a plain-text 400")
	defer resp.Body.Close()
	assert.Equal(t, 400, resp.StatusCode, "plain HTTP on the TLS port is a 400 Bad Request, saying to use https:// or wss://")
}
