package control

import (
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wsfromtcp/workshop/tools/conformance/suite"
	"github.com/wsfromtcp/workshop/tools/wstest"
)

// serve starts Serve on a free loopback port with handle and stops it when
// the test ends, without waiting forever for a handler that hangs.
func serve(t *testing.T, handle func(*Conn)) string {
	t.Helper()
	srv, err := Serve("127.0.0.1:0", handle)
	require.NoError(t, err, "Serve on 127.0.0.1:0 should succeed (it is step 3's Listen)")
	wstest.CleanupWithin(t, wstest.Patience, func() { srv.Close() })
	return srv.Addr().String()
}

// dial connects gorilla/websocket, a widely used client that nothing in
// this workshop wrote, with deadlines on every read and write.
func dial(t *testing.T, addr string) *websocket.Conn {
	t.Helper()
	d := websocket.Dialer{HandshakeTimeout: wstest.Patience, ReadBufferSize: 1 << 16, WriteBufferSize: 1 << 16}
	ws, resp, err := d.Dial("ws://"+addr+"/", nil)
	if resp != nil {
		resp.Body.Close()
	}
	require.NoError(t, err, "gorilla/websocket could not complete the opening handshake: run make step3 first")
	ws.SetReadLimit(64 << 20)
	_ = ws.SetReadDeadline(time.Now().Add(wstest.Patience))
	_ = ws.SetWriteDeadline(time.Now().Add(wstest.Patience))
	t.Cleanup(func() { ws.Close() })
	// The test reads close frames itself; gorilla's default answers them.
	ws.SetCloseHandler(func(int, string) error { return nil })
	return ws
}

// closeOf reads from ws until the connection ends and returns the close
// frame the server sent, or fails the test when it sent none.
func closeOf(t *testing.T, ws *websocket.Conn) *websocket.CloseError {
	t.Helper()
	for {
		_, _, err := ws.ReadMessage()
		if err == nil {
			continue
		}
		var ce *websocket.CloseError
		require.ErrorAs(t, err, &ce, "the server should end the connection with a close frame (RFC 6455 §7.1.7), "+
			"but the client got %v instead", err)
		return ce
	}
}

// conform runs the conformance suite's cases whose ID matches ids against
// an echo server made of Serve and Echo, all cases at once so that a server
// that hangs costs the time of one case, not of all. Each case becomes a
// subtest, named after it.
func conform(t *testing.T, ids string) {
	t.Helper()
	addr := serve(t, Echo)
	re := regexp.MustCompile(ids)
	var cases []suite.Case
	for _, c := range suite.Cases() {
		if re.MatchString(c.ID) {
			cases = append(cases, c)
		}
	}
	require.NotEmpty(t, cases, "no conformance case matches %q", ids)

	errs := make([]error, len(cases))
	var wg sync.WaitGroup
	for i, c := range cases {
		wg.Go(func() { errs[i] = c.Run(addr) })
	}
	wg.Wait() // every case has deadlines on its connection
	for i, c := range cases {
		t.Run(c.ID+" "+c.Name, func(t *testing.T) {
			assert.NoError(t, errs[i], "conformance case %s: the server %s (RFC 6455 §%s)", c.ID, c.Name, c.Section)
		})
	}
}
