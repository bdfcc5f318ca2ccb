package accept

import (
	"errors"
	"io"
	"net"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wsfromtcp/workshop/tools/wstest"
	"github.com/wsfromtcp/workshop/tools/wstest/assert"
	"github.com/wsfromtcp/workshop/tools/wstest/require"
)

// listen starts a server on a free loopback port and closes it when the test
// ends, within a bounded time even if Close hangs.
func listen(t *testing.T, h Handler) *Server {
	t.Helper()
	srv, err := Listen("127.0.0.1:0", h)
	require.NoError(t, err, "Listen on 127.0.0.1:0 should succeed: port 0 asks the system for any free port")
	require.NotNil(t, srv, "Listen returned no error, so it must return the *Server")
	wstest.CleanupWithin(t, wstest.Patience, func() { srv.Close() })
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

func TestServerClosesTheConnectionWhenTheHandlerReturns(t *testing.T) {
	// Proves RFC 6455 R-7.1.1-4, R-7.1.1-3 (docs/rfc6455.md).
	// This handler says goodbye and returns without closing conn: closing it
	// is the server's job.
	srv := listen(t, func(conn net.Conn) { _, _ = io.WriteString(conn, "bye\n") })
	conn := wstest.Dial(t, srv.Addr().String())

	got, err := io.ReadAll(conn)
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		assert.Fail(t, "the handler returned, but the client's connection stayed open: the server must close each connection "+
			"when its handler returns (the Handler contract), or every finished client leaks a socket until Close")
		return
	}
	assert.Equal(t, "bye\n", string(got), "the client should read what the handler wrote, then the end of the connection")
}

func TestServerKeepsAcceptingAfterAnAcceptError(t *testing.T) {
	others := goroutinesWaitingInAccept() // say, of a server that an earlier failing test left running
	srv := listen(t, Echo)

	// Find the accept loop: the new goroutine parked in the listener's Accept.
	var loop string
	for start := time.Now(); loop == "" && time.Since(start) < wstest.Patience; time.Sleep(time.Millisecond) {
		for id := range goroutinesWaitingInAccept() {
			if !others[id] {
				loop = id
			}
		}
	}
	require.NotEmpty(t, loop, "no goroutine of the server was waiting in Accept: Listen must start a goroutine that accepts connections in a loop")

	// A deadline in the past makes every Accept fail at once with a timeout:
	// an Accept error that is not net.ErrClosed, like running out of file
	// descriptors, but one the test can cause and undo.
	ln, ok := srv.ln.(interface{ SetDeadline(time.Time) error })
	require.True(t, ok, "test setup: the listener from net.Listen should have SetDeadline")
	require.NoError(t, ln.SetDeadline(time.Unix(1, 0)), "test setup: could not make Accept fail")
	// Wait until the loop has left Accept, that is, its Accept returned the
	// error. A loop that retries without pausing may stay in Accept as far as
	// the test can see: it is correct, and the wait just ends at Patience.
	for start := time.Now(); goroutineIsInAccept(loop) && time.Since(start) < wstest.Patience; {
		time.Sleep(time.Millisecond)
	}
	require.NoError(t, ln.SetDeadline(time.Time{}), "test setup: could not lift the listener's deadline")

	conn := wstest.Dial(t, srv.Addr().String())
	got, err := roundTrip(conn, "still there?")
	require.NoError(t, err, "after one Accept error (here a time-out) the server served no more clients: only Close may end the accept loop; "+
		"any other error from Accept is passing, so wait a moment and accept again (docs/01-accept.md, Stopping cleanly)")
	assert.Equal(t, "still there?", got, "the echo server must send back exactly the bytes it received")
}

// goroutinesWaitingInAccept returns the ids of the goroutines parked in a
// TCP listener's Accept, waiting for a client.
func goroutinesWaitingInAccept() map[string]bool {
	ids := map[string]bool{}
	for id, stack := range goroutineStacks() {
		if strings.Contains(stack, "[IO wait") && strings.Contains(stack, "net.(*TCPListener).Accept(") {
			ids[id] = true
		}
	}
	return ids
}

// goroutineIsInAccept reports whether goroutine id is still inside a TCP
// listener's Accept, parked or not.
func goroutineIsInAccept(id string) bool {
	return strings.Contains(goroutineStacks()[id], "net.(*TCPListener).Accept(")
}

// goroutineStacks returns every goroutine's stack trace by goroutine id.
func goroutineStacks() map[string]string {
	buf := make([]byte, 1<<16)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	stacks := map[string]string{}
	for _, g := range strings.Split(string(buf), "\n\n") {
		// Each trace starts with a line like "goroutine 7 [IO wait]:".
		if f := strings.Fields(g); len(f) > 1 && f[0] == "goroutine" {
			stacks[f[1]] = g
		}
	}
	return stacks
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
		"Close did not return within %v while a client was connected: Close must close every open connection, so that handlers blocked in Read return, "+
			"and must not hold a lock that a returning handler needs while it waits for the handlers", wstest.Patience)

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
	started := make(chan struct{}, 1)
	srv, err := Listen("127.0.0.1:0", func(conn net.Conn) {
		select {
		case started <- struct{}{}:
		default:
		}
		_, _ = io.Copy(io.Discard, conn) // returns when the server closes conn
		time.Sleep(50 * time.Millisecond)
		finished.Store(true)
	})
	require.NoError(t, err, "Listen on 127.0.0.1:0 should succeed")
	wstest.Dial(t, srv.Addr().String())
	select {
	case <-started:
	case <-time.After(wstest.Patience):
		wstest.Within(wstest.Patience/10, func() { srv.Close() })
		require.Fail(t, "the server did not start a handler for a client within %v: the accept loop must run handler(conn) for each connection", wstest.Patience)
	}

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
