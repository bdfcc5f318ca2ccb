package accept

import (
	"errors"
	"io"
	"net"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wsfromtcp/workshop/tools/wstest"
)

// listen starts a server on a free loopback port and closes it when the test
// ends, within a bounded time even if Close hangs.
func listen(t *testing.T, h Handler) *Server {
	t.Helper()
	srv, err := Listen("127.0.0.1:0", h)
	require.NoError(t, err, "Listen on 127.0.0.1:0 should succeed: port 0 asks the system for any free port")
	require.NotNil(t, srv, "Listen returned no error, so it must return the *Server")
	t.Cleanup(func() { wstest.Within(wstest.Patience, func() { srv.Close() }) })
	return srv
}

// roundTrip writes msg on conn and reads the same number of bytes back.
func roundTrip(conn net.Conn, msg string) (string, error) {
	if _, err := io.WriteString(conn, msg); err != nil {
		return "", err
	}
	buf := make([]byte, len(msg))
	_, err := io.ReadFull(conn, buf)
	return string(buf), err
}

func TestEchoServerSendsBackWhatItReceives(t *testing.T) {
	srv := listen(t, Echo)
	conn := wstest.Dial(t, srv.Addr().String())

	for _, msg := range []string{"hello\n", "a second write on the same connection\n", "\x00\xff binary too"} {
		got, err := roundTrip(conn, msg)
		require.NoError(t, err, "the server should echo %q back on the same connection; is Echo reading and writing conn until the client hangs up?", msg)
		assert.Equal(t, msg, got, "the echo server must send back exactly the bytes it received")
	}
}

func TestServerServesClientsConcurrently(t *testing.T) {
	srv := listen(t, Echo)

	// The first client connects and says nothing: its handler sits in Read.
	idle := wstest.Dial(t, srv.Addr().String())
	_ = idle

	busy := wstest.Dial(t, srv.Addr().String())
	got, err := roundTrip(busy, "ping")
	require.NoError(t, err, "a second client got no echo while a first one stayed silent: "+
		"serve each connection on its own goroutine (go handler(conn)) so that one client never waits for another")
	assert.Equal(t, "ping", got, "the second client should get its own bytes back")
}

func TestListenReportsAnAddressAlreadyInUse(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err, "test setup: could not reserve a port")
	defer taken.Close()

	srv, err := Listen(taken.Addr().String(), Echo)
	if srv != nil {
		wstest.Within(wstest.Patience, func() { srv.Close() })
	}
	assert.Error(t, err, "Listen on %s, where another listener already is, must return the error from net.Listen instead of a server that can never accept", taken.Addr())
	assert.Nil(t, srv, "when Listen fails it should return a nil *Server")
}

func TestCloseStopsAcceptingConnections(t *testing.T) {
	srv, err := Listen("127.0.0.1:0", Echo)
	require.NoError(t, err, "Listen on 127.0.0.1:0 should succeed")
	addr := srv.Addr().String()

	require.True(t, wstest.Within(wstest.Patience, func() { srv.Close() }),
		"Close did not return within %v with no client connected: is the accept loop still running, or is Close waiting for something that never finishes?", wstest.Patience)

	conn, err := net.DialTimeout("tcp", addr, wstest.Patience)
	if conn != nil {
		conn.Close()
	}
	assert.Error(t, err, "a new client could still connect after Close: Close must close the listener so that the port is released")
}

func TestCloseHangsUpOnOpenConnections(t *testing.T) {
	srv, err := Listen("127.0.0.1:0", Echo)
	require.NoError(t, err, "Listen on 127.0.0.1:0 should succeed")
	conn := wstest.Dial(t, srv.Addr().String())
	_, err = roundTrip(conn, "x")
	require.NoError(t, err, "the echo server should answer before we test Close")

	require.True(t, wstest.Within(wstest.Patience, func() { srv.Close() }),
		"Close did not return within %v while a client was connected: Close must close every open connection, so that handlers blocked in Read return", wstest.Patience)

	_, err = conn.Read(make([]byte, 1))
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		assert.Fail(t, "after Close the client's connection was still open: Close must hang up on every open connection")
		return
	}
	assert.Error(t, err, "after Close the client should read EOF or a reset, because the server closed its end of the connection")
}

func TestCloseWaitsForHandlersToFinish(t *testing.T) {
	var finished atomic.Bool
	srv, err := Listen("127.0.0.1:0", func(conn net.Conn) {
		_, _ = io.Copy(io.Discard, conn) // returns when the server closes conn
		time.Sleep(50 * time.Millisecond)
		finished.Store(true)
	})
	require.NoError(t, err, "Listen on 127.0.0.1:0 should succeed")
	conn := wstest.Dial(t, srv.Addr().String())
	_, err = conn.Write([]byte("x"))
	require.NoError(t, err, "the client should be able to send a byte")
	time.Sleep(20 * time.Millisecond) // let the server accept and start the handler

	require.True(t, wstest.Within(wstest.Patience, func() { srv.Close() }),
		"Close did not return within %v", wstest.Patience)
	assert.True(t, finished.Load(), "Close returned while a handler was still running: "+
		"Close must wait for every handler (a sync.WaitGroup does this) so that a program can exit without cutting work short")
}

func TestCloseLeavesNoGoroutinesBehind(t *testing.T) {
	before := runtime.NumGoroutine()

	srv, err := Listen("127.0.0.1:0", Echo)
	require.NoError(t, err, "Listen on 127.0.0.1:0 should succeed")
	for range 5 {
		conn := wstest.Dial(t, srv.Addr().String())
		_, err := roundTrip(conn, "hi")
		require.NoError(t, err, "each client should get its echo while the earlier ones stay connected: serve each connection on its own goroutine")
	}
	require.True(t, wstest.Within(wstest.Patience, func() { srv.Close() }),
		"Close did not return within %v", wstest.Patience)

	got, where := wstest.SettleGoroutines(before)
	assert.LessOrEqual(t, got, before, "after Close, %d goroutines were still running (there were %d before Listen). "+
		"The accept loop and every handler must return when the server closes; these are still running:\n%s", got, before, where)
}

func TestCloseIsSafeToCallTwice(t *testing.T) {
	srv, err := Listen("127.0.0.1:0", Echo)
	require.NoError(t, err, "Listen on 127.0.0.1:0 should succeed")
	require.True(t, wstest.Within(wstest.Patience, func() { srv.Close() }), "the first Close did not return")
	assert.True(t, wstest.Within(wstest.Patience, func() { srv.Close() }),
		"a second Close did not return: shutting down twice (say, from a signal handler and a defer) must be harmless")
}
