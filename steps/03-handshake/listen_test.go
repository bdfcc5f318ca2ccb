package handshake

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wsfromtcp/workshop/tools/wstest"
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
	addr := serve(t)
	dialer := websocket.Dialer{HandshakeTimeout: wstest.Patience}
	ws, resp, err := dialer.Dial("ws://"+addr+"/chat", nil)
	if resp != nil {
		resp.Body.Close()
	}
	require.NoError(t, err, "gorilla/websocket, a widely used client, could not complete the opening handshake; "+
		"it checks the status, Upgrade, Connection and Sec-WebSocket-Accept (RFC 6455 §4.1, §4.2.2)")
	defer ws.Close()
	_ = ws.SetReadDeadline(time.Now().Add(wstest.Patience))
	kind, msg, err := ws.ReadMessage()
	require.NoError(t, err, "after the handshake, the connection carries frames: the client should read the frame the server wrote")
	assert.Equal(t, websocket.TextMessage, kind)
	assert.Equal(t, "Hello", string(msg), "the RFC 6455 §5.7 frame 81 05 48 65 6c 6c 6f is the text \"Hello\"")
}

func TestAPlainHTTPClientGets400(t *testing.T) {
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

	dialer := websocket.Dialer{HandshakeTimeout: wstest.Patience}
	ws, resp, err := dialer.Dial("ws://"+addr+"/chat", nil)
	if resp != nil {
		resp.Body.Close()
	}
	require.NoError(t, err, "a client that sends half a head and waits must not hold up the next one: "+
		"each connection has its own goroutine (step 1) and reads its own head")
	ws.Close()
}
