package chat

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/wsfromtcp/workshop/tools/wstest"
	"github.com/wsfromtcp/workshop/tools/wstest/require"
	"github.com/wsfromtcp/workshop/tools/wstest/wsclient"
)

// start runs the chat server on a free loopback port and closes it when
// the test ends, without waiting forever for code that hangs.
func start(t *testing.T, config *tls.Config) *Server {
	t.Helper()
	srv, err := Listen("127.0.0.1:0", config)
	require.NoError(t, err, "Listen on 127.0.0.1:0 should succeed")
	// Close waits for every connection to end its closing handshake.
	wstest.CleanupWithin(t, 2*wstest.Patience, func() { srv.Close() })
	return srv
}

// client is one chat participant, speaking through gorilla/websocket.
type client struct {
	t  *testing.T
	ws *websocket.Conn
}

// connect opens a WebSocket to /ws without joining.
func connect(t *testing.T, url string, config *tls.Config) *client {
	t.Helper()
	ws, err := wsclient.Dial(t, url, wsclient.TLS(config))
	require.NoError(t, err, "gorilla/websocket could not open %s: GET /ws must take the opening handshake (RFC 6455 §4.2.2)", url)
	return &client{t: t, ws: ws}
}

// join connects to srv and joins as nick, and returns the client and the
// welcome it got.
func join(t *testing.T, srv *Server, nick string) (*client, Event) {
	t.Helper()
	c := connect(t, "ws://"+srv.Addr().String()+"/ws", nil)
	c.send(Event{Type: "join", Nick: nick})
	welcome := c.next("the welcome")
	require.Equal(t, "welcome", welcome.Type, "the first event a newcomer gets is its welcome")
	return c, welcome
}

func (c *client) send(ev Event) {
	c.t.Helper()
	_ = c.ws.SetWriteDeadline(time.Now().Add(wstest.Patience))
	require.NoError(c.t, c.ws.WriteJSON(ev), "sending %+v", ev)
}

// next reads the next event; what says which one is expected, for the
// failure message.
func (c *client) next(what string) Event {
	c.t.Helper()
	_ = c.ws.SetReadDeadline(time.Now().Add(wstest.Patience))
	kind, data, err := c.ws.ReadMessage()
	require.NoError(c.t, err, "waiting for %s: the server should send it as a JSON text message", what)
	require.Equal(c.t, websocket.TextMessage, kind, "waiting for %s: every event is a text message", what)
	var ev Event
	require.NoError(c.t, json.Unmarshal(data, &ev), "waiting for %s, the client got %q, which is not JSON: build every event "+
		"with encode (encoding/json), never by pasting strings together, or a \" in a nickname or a text ends the string early", what, data)
	return ev
}

// closeCode reads until the server closes, and returns its close code.
func (c *client) closeCode(what string) int {
	c.t.Helper()
	_ = c.ws.SetReadDeadline(time.Now().Add(wstest.Patience))
	for {
		_, _, err := c.ws.ReadMessage()
		if err == nil {
			continue
		}
		var ce *websocket.CloseError
		if errors.As(err, &ce) {
			return ce.Code
		}
		require.FailNow(c.t, fmt.Sprintf("%s: the server should close with a close frame (RFC 6455 §7.1.2), but none came (%v)", what, err))
	}
}

// httpClient is a plain HTTP client with a deadline, trusting config's
// roots for https.
func httpClient(config *tls.Config) *http.Client {
	return &http.Client{Timeout: wstest.Patience, Transport: &http.Transport{TLSClientConfig: config, DisableKeepAlives: true}}
}

// trusting returns a client TLS configuration that trusts cert alone.
func trusting(t *testing.T, cert tls.Certificate) *tls.Config {
	t.Helper()
	leaf, err := x509.ParseCertificate(cert.Certificate[0])
	require.NoError(t, err)
	roots := x509.NewCertPool()
	roots.AddCert(leaf)
	return &tls.Config{RootCAs: roots}
}
