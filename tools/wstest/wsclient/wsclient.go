// Package wsclient is the step tests' one way to open a WebSocket with
// gorilla/websocket, a widely used client that nothing in this workshop
// wrote, so that a server is judged by someone else's reading of RFC 6455.
//
// It lives beside wstest rather than in it: wstest is also linked into the
// checker, which has no use for gorilla/websocket and net/http. Test code
// only: a package under steps/ or solutions/ may not import it (make
// rules).
package wsclient

import (
	"context"
	"crypto/tls"
	"net"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/wsfromtcp/workshop/tools/wstest"
)

// Option changes how Dial connects.
type Option func(*websocket.Dialer)

// TLS sets the client's TLS configuration, for wss:// URLs: the roots it
// trusts, above all.
func TLS(config *tls.Config) Option {
	return func(d *websocket.Dialer) { d.TLSClientConfig = config }
}

// Buffers sets the client's read and write buffers to n bytes each, in
// place of gorilla's 4 KiB.
func Buffers(n int) Option {
	return func(d *websocket.Dialer) { d.ReadBufferSize, d.WriteBufferSize = n, n }
}

// ReceiveBuffer shrinks the kernel's receive buffer of the client's socket
// to n bytes: a client that stops reading then blocks the server's writes
// to it after a few hundred KiB on any machine, instead of after whatever
// the system's TCP autotuning allows.
func ReceiveBuffer(n int) Option {
	return func(d *websocket.Dialer) {
		d.NetDialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
			conn, err := new(net.Dialer).DialContext(ctx, network, addr)
			if tc, ok := conn.(*net.TCPConn); ok {
				_ = tc.SetReadBuffer(n)
			}
			return conn, err
		}
	}
}

// Dial opens a WebSocket to url (ws:// or wss://). The TCP connection and
// the opening handshake must succeed within wstest.Patience; the
// connection then starts with a read and a write deadline of Patience,
// which a test renews before each later read or write, and it is closed
// when the test ends.
//
// Dial asserts nothing: it returns gorilla's error for the test to judge
// with a message of its own, so a test may dial from any goroutine.
func Dial(t testing.TB, url string, opts ...Option) (*websocket.Conn, error) {
	t.Helper()
	d := websocket.Dialer{HandshakeTimeout: wstest.Patience}
	for _, o := range opts {
		o(&d)
	}
	ws, resp, err := d.Dial(url, nil)
	if resp != nil {
		resp.Body.Close()
	}
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(wstest.Patience)
	_ = ws.SetReadDeadline(deadline)
	_ = ws.SetWriteDeadline(deadline)
	t.Cleanup(func() { ws.Close() })
	return ws, nil
}
