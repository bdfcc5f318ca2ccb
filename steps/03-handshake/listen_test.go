package handshake

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/wsfromtcp/workshop/tools/wstest"
	"github.com/wsfromtcp/workshop/tools/wstest/assert"
	"github.com/wsfromtcp/workshop/tools/wstest/require"
	"github.com/wsfromtcp/workshop/tools/wstest/wsclient"
)

// sendHello is the onOpen of these tests: it sends the RFC 6455 §5.7
// unmasked "Hello" frame, written by hand, and reads until the client goes.
// It is generic in the request's type only so that this file names no type
// of step 2: the same test also runs on the reference solution copied into
// this folder, whose Request comes from solutions/02-request. Go infers R
// from Listen's parameter.
func sendHello[R any](conn net.Conn, br *bufio.Reader, _ R) {
	_ = conn.SetDeadline(time.Now().Add(wstest.Patience))
	_, _ = conn.Write([]byte{0x81, 0x05, 'H', 'e', 'l', 'l', 'o'})
	_, _ = io.Copy(io.Discard, br)
}

// serve starts Listen on a free loopback port with sendHello.
func serve(t *testing.T) string {
	t.Helper()
	srv, err := Listen("127.0.0.1:0", sendHello)
	require.NoError(t, err, "Listen on 127.0.0.1:0 should succeed (it uses your step 1)")
	t.Cleanup(func() { wstest.Within(wstest.Patience, func() { srv.Close() }) })
	return srv.Addr().String()
}

func TestARealWebsocketClientCompletesTheHandshake(t *testing.T) {
	// Proves RFC 6455 R-4.2.2-1, R-4.2.2-10 (docs/rfc6455.md).
	addr := serve(t)
	ws, err := wsclient.Dial(t, "ws://"+addr+"/chat")
	require.NoError(t, err, "gorilla/websocket, a widely used client, could not complete the opening handshake; "+
		"it checks the status, Upgrade, Connection and Sec-WebSocket-Accept (RFC 6455 §4.1, §4.2.2)")
	kind, msg, err := ws.ReadMessage()
	require.NoError(t, err, "after the handshake, the connection carries frames: the client should read the frame the server wrote")
	assert.Equal(t, websocket.TextMessage, kind)
	assert.Equal(t, "Hello", string(msg), "the RFC 6455 §5.7 frame 81 05 48 65 6c 6c 6f is the text \"Hello\"")
}

func TestAPlainHTTPClientGets400(t *testing.T) {
	// Proves RFC 6455 R-4.2.1-1 (docs/rfc6455.md).
	addr := serve(t)
	client := http.Client{Timeout: wstest.Patience}
	resp, err := client.Get("http://" + addr + "/")
	require.NoError(t, err, "a plain HTTP GET (a browser opening the address) must get an HTTP answer, not a dropped connection")
	defer resp.Body.Close()
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "a request without the upgrade headers is not a handshake: 400 (RFC 6455 §4.2.1)")
	assert.True(t, resp.Close, "the server says Connection: close and closes")
}

func TestAClientThatStallsDoesNotBlockOthers(t *testing.T) {
	addr := serve(t)
	slow := wstest.Dial(t, addr)
	_, err := slow.Write([]byte("GET /chat HTTP/1.1\r\nHost: a\r\n")) // half a head, then silence
	require.NoError(t, err)

	_, err = wsclient.Dial(t, "ws://"+addr+"/chat")
	require.NoError(t, err, "a client that sends half a head and waits must not hold up the next one: "+
		"each connection has its own goroutine (step 1) and reads its own head")
}

// echoBytes is an onOpen that sends back every byte it reads from br, and
// sets no deadline of its own: what it sees is what Listen handed it.
func echoBytes[R any](conn net.Conn, br *bufio.Reader, _ R) {
	_, _ = io.Copy(conn, br)
}

// serveWithTimeout starts Listen with Timeout set to d for the
// length of the test.
func serveWithTimeout(t *testing.T, d time.Duration, onOpen OnOpen) string {
	t.Helper()
	old := Timeout
	Timeout = d
	t.Cleanup(func() { Timeout = old }) // runs after the server is closed
	srv, err := Listen("127.0.0.1:0", onOpen)
	require.NoError(t, err, "Listen on 127.0.0.1:0 should succeed (it uses your step 1)")
	wstest.CleanupWithin(t, wstest.Patience, func() { srv.Close() })
	return srv.Addr().String()
}

// maskedHello is the RFC 6455 §5.7 masked text frame "Hello", as a client sends it.
const maskedHello = "\x81\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58"

// handshakeOn sends raw on conn and reads the answer's head, which must be a 101.
func handshakeOn(t *testing.T, conn net.Conn, raw string) *bufio.Reader {
	t.Helper()
	_, err := io.WriteString(conn, raw)
	require.NoError(t, err, "the client should be able to send its handshake")
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	require.NoError(t, err, "the server should answer the RFC 6455 §1.3 sample handshake with a valid HTTP response")
	require.Equal(t, http.StatusSwitchingProtocols, resp.StatusCode, "the RFC 6455 §1.3 sample handshake is valid: 101 (RFC 6455 §4.2.2)")
	return br
}

func TestListenDropsAClientThatSendsHalfAHead(t *testing.T) {
	// Proves RFC 6455 R-10.7-2, R-7.2.2-1 (docs/rfc6455.md).
	// A short timeout keeps the check quick; a loaded machine only makes
	// the drop come later, well within Patience.
	timeout := 100 * time.Millisecond
	addr := serveWithTimeout(t, timeout, echoBytes)
	conn := wstest.Dial(t, addr)
	_ = conn.SetDeadline(time.Now().Add(timeout + wstest.Patience))
	_, err := io.WriteString(conn, "GET /chat HTTP/1.1\r\nHost: a\r\n") // half a head, then silence
	require.NoError(t, err)

	_, err = io.Copy(io.Discard, conn) // whatever the server says, until it hangs up
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		assert.Fail(t, "a client that sent half a head and then nothing was still connected long after the handshake Timeout: "+
			"put a deadline on the connection (conn.SetDeadline) before reading the head, or one stalled client keeps a goroutine "+
			"and a socket forever, and a thousand of them take the server down (slowloris; see Timeout in listen.go and docs/03-handshake.md)")
	}
}

func TestListenLiftsTheDeadlineAfterTheHandshake(t *testing.T) {
	// The handshake must fit in the timeout, and the test then idles past
	// it. The timeout starts short and doubles each time the handshake
	// itself runs out of it (the server hangs up without an answer), so
	// that an idle machine is quick and a loaded one still gets there:
	// how fast the machine is never decides the verdict.
	var conn net.Conn
	var br *bufio.Reader
	timeout := 50 * time.Millisecond
	for ; ; timeout *= 2 {
		addr := serveWithTimeout(t, timeout, echoBytes)
		conn = wstest.Dial(t, addr)
		_, err := io.WriteString(conn, sampleHandshake)
		require.NoError(t, err, "the client should be able to send its handshake")
		br = bufio.NewReader(conn)
		resp, err := http.ReadResponse(br, nil)
		if err != nil && timeout < wstest.Patience {
			continue // the handshake did not fit in the timeout on this machine: try a longer one
		}
		require.NoError(t, err, "the server should answer the RFC 6455 §1.3 sample handshake with a valid HTTP response")
		require.Equal(t, http.StatusSwitchingProtocols, resp.StatusCode, "the RFC 6455 §1.3 sample handshake is valid: 101 (RFC 6455 §4.2.2)")
		break
	}

	// The server set its deadline before it answered, so this is past it.
	time.Sleep(timeout + timeout/10)
	_ = conn.SetDeadline(time.Now().Add(wstest.Patience))
	_, err := io.WriteString(conn, maskedHello)
	require.NoError(t, err, "the client should be able to send a frame after a quiet spell")
	got := make([]byte, len(maskedHello))
	_, err = io.ReadFull(br, got)
	require.NoError(t, err, "the connection died once it had been quiet for longer than the handshake Timeout after a successful handshake: "+
		"the deadline bounds the handshake only, so lift it (conn.SetDeadline(time.Time{})) before onOpen runs; "+
		"a WebSocket may rightly stay quiet for hours (see Timeout in listen.go and docs/03-handshake.md)")
	assert.Equal(t, maskedHello, string(got), "onOpen here sends back the bytes it reads")
}

func TestListenHandsOnTheBytesThatArriveWithTheHead(t *testing.T) {
	addr := serveWithTimeout(t, Timeout, echoBytes)
	conn := wstest.Dial(t, addr)
	// One write: the head and a first frame, most likely in one TCP segment,
	// so the server's first read takes both into its bufio.Reader.
	br := handshakeOn(t, conn, sampleHandshake+maskedHello)

	got := make([]byte, len(maskedHello))
	_, err := io.ReadFull(br, got)
	require.NoError(t, err, "a frame the client sent in the same write as its handshake never reached onOpen: the *bufio.Reader that read "+
		"the head already holds it, so onOpen must get that same reader, not a new one and not conn (RFC 6455 §1.3: frames may follow the head at once)")
	assert.Equal(t, maskedHello, string(got), "onOpen here sends back the bytes it reads, starting with the first frame")
}
