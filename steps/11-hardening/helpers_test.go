package hardening

import (
	"bufio"
	"crypto/rand"
	"crypto/tls"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	chat "github.com/wsfromtcp/workshop/steps/10-chat"
	"github.com/wsfromtcp/workshop/tools/chatkit"
	"github.com/wsfromtcp/workshop/tools/wstest"
	"github.com/wsfromtcp/workshop/tools/wstest/require"
	"github.com/wsfromtcp/workshop/tools/wstest/wsclient"
)

// quiet are options under which no limit gets in a test's way: each test
// shortens the one it is about.
func quiet() Options {
	return Options{
		JoinTimeout:  time.Hour,
		PingInterval: time.Hour,
		PongWait:     time.Hour,
		Rate:         1e6,
		Burst:        1e6,
	}
}

// start runs the hardened chat on a free loopback port with opts, and
// closes it when the test ends, without waiting forever for code that
// hangs.
func start(t *testing.T, opts Options) *Server {
	t.Helper()
	srv, err := Listen("127.0.0.1:0", opts)
	require.NoError(t, err, "Listen on 127.0.0.1:0 should succeed")
	wstest.CleanupWithin(t, 2*wstest.Patience, func() { srv.Close() })
	return srv
}

// startWithTLS starts the chat with a self-signed certificate for 127.0.0.1,
// and with minVersion as its configuration's MinVersion (0: the default).
func startWithTLS(t *testing.T, minVersion uint16) (*Server, tls.Certificate) {
	t.Helper()
	cert, err := chatkit.SelfSigned("127.0.0.1")
	require.NoError(t, err)
	opts := quiet()
	opts.TLS = chatkit.ServerConfig(cert)
	opts.TLS.MinVersion = minVersion
	return start(t, opts), cert
}

// client is one chat participant, speaking through gorilla/websocket.
type client struct {
	t  *testing.T
	ws *websocket.Conn
}

// join connects to srv and joins as nick; the welcome is read.
func join(t *testing.T, srv *Server, nick string, opts ...wsclient.Option) *client {
	t.Helper()
	ws, err := wsclient.Dial(t, "ws://"+srv.Addr().String()+"/ws", opts...)
	require.NoError(t, err, "a client without Origin (not a browser) must be able to open the WebSocket (RFC 6455 §10.2)")
	c := &client{t: t, ws: ws}
	c.send(chat.Event{Type: "join", Nick: nick})
	require.Equal(t, "welcome", c.next("the welcome").Type, "the first event a newcomer gets is its welcome")
	return c
}

func (c *client) send(ev chat.Event) {
	c.t.Helper()
	_ = c.ws.SetWriteDeadline(time.Now().Add(wstest.Patience))
	require.NoError(c.t, c.ws.WriteJSON(ev), "sending %+v", ev)
}

// next reads the next event; what names it for the failure message.
func (c *client) next(what string) chat.Event {
	c.t.Helper()
	_ = c.ws.SetReadDeadline(time.Now().Add(wstest.Patience))
	_, data, err := c.ws.ReadMessage()
	require.NoError(c.t, err, "waiting for %s: the connection should still be open", what)
	var ev chat.Event
	require.NoError(c.t, json.Unmarshal(data, &ev), "waiting for %s: got %q", what, data)
	return ev
}

// until reads events until want comes; what names it for the message.
func (c *client) until(want chat.Event, what string) {
	c.t.Helper()
	for {
		if got := c.next(what); got.Type == want.Type && got.Nick == want.Nick && got.Text == want.Text {
			return
		}
	}
}

// closeOf reads until the connection ends, and returns the close frame's
// code and reason, or an error when it ended without one.
func closeOf(ws *websocket.Conn) (int, string, error) {
	_ = ws.SetReadDeadline(time.Now().Add(wstest.Patience))
	for {
		if _, _, err := ws.ReadMessage(); err != nil {
			var ce *websocket.CloseError
			if errors.As(err, &ce) {
				return ce.Code, ce.Text, nil
			}
			return 0, "", err
		}
	}
}

// raw is a WebSocket client made by hand, for what gorilla would not do:
// send a foreign Origin, never answer a ping, never join.
type raw struct {
	conn net.Conn
	br   *bufio.Reader
}

// upgradeAt sends head to srv and returns the response and, after a 101,
// the connection to go on with.
func upgradeAt(t *testing.T, addr, head string) (*http.Response, string, *raw) {
	t.Helper()
	return upgradeOn(t, wstest.Dial(t, addr), head)
}

// upgradeOn is upgradeAt on a connection of the test's own.
func upgradeOn(t *testing.T, conn net.Conn, head string) (*http.Response, string, *raw) {
	t.Helper()
	_, err := io.WriteString(conn, head)
	require.NoError(t, err, "sending the opening handshake")
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	require.NoError(t, err, "the server must answer the handshake with an HTTP response (RFC 6455 §4.2.2)")
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != 101 {
		return resp, string(body), nil
	}
	return resp, "", &raw{conn: conn, br: br}
}

// dialFrom connects to addr from the loopback address ip (127.0.0.2, …),
// with a deadline of Patience, or returns nil where the system has no such
// address.
func dialFrom(t *testing.T, ip, addr string) net.Conn {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: wstest.Patience}
	conn, err := d.Dial("tcp", addr)
	if err != nil {
		t.Logf("could not connect from %s: %v", ip, err)
		return nil
	}
	_ = conn.SetDeadline(time.Now().Add(wstest.Patience))
	t.Cleanup(func() { conn.Close() })
	return conn
}

// upgradeHead is the RFC 6455 §1.3 handshake, for /ws on addr, with Origin
// set to origin ("" for none).
func upgradeHead(addr, origin string) string {
	head := wstest.WithHeader(wstest.RFCHandshake, "Host", addr)
	head = wstest.WithHeader(head, "Sec-WebSocket-Protocol", "")
	head = wstest.WithHeader(head, "Origin", origin)
	return "GET /ws" + head[len("GET /chat"):]
}

// sendText sends one masked text frame, as a client must (RFC 6455 §5.3).
func (r *raw) sendText(data []byte) error {
	var key [4]byte
	_, _ = rand.Read(key[:])
	frame := []byte{0x81, 0x80 | byte(len(data))} // the tests send under 126 bytes
	frame = append(frame, key[:]...)
	for i, b := range data {
		frame = append(frame, b^key[i%4])
	}
	_ = r.conn.SetWriteDeadline(time.Now().Add(wstest.Patience))
	_, err := r.conn.Write(frame)
	return err
}

// closeFrame reads frames, answering none, until a close frame comes, and
// returns its code and reason; it fails when the connection ends first.
func (r *raw) closeFrame(t *testing.T, what string) (int, string) {
	t.Helper()
	_ = r.conn.SetReadDeadline(time.Now().Add(2 * wstest.Patience))
	for {
		op, payload, err := r.readFrame()
		require.NoError(t, err, "%s: the server should end with a close frame (RFC 6455 §5.5.1, §7.1.2), but the connection ended without one", what)
		if op == 0x8 {
			require.GreaterOrEqual(t, len(payload), 2, "%s: the close frame should carry a status code (RFC 6455 §5.5.1)", what)
			return int(binary.BigEndian.Uint16(payload)), string(payload[2:])
		}
	}
}

// readFrame reads one server frame; the chat sends none over 1 MiB.
func (r *raw) readFrame() (byte, []byte, error) { return wstest.ReadServerFrame(r.br, 1<<20) }
