package control

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	frame "github.com/wsfromtcp/workshop/steps/04-frame-decode"
	message "github.com/wsfromtcp/workshop/steps/07-messages"
	"github.com/wsfromtcp/workshop/tools/wstest"
)

func TestEchoSendsMessagesBackToAnIndependentClient(t *testing.T) {
	ws := dial(t, serve(t, Echo))
	for _, n := range []int{0, 1, 125, 126, 65535, 65536, 1 << 20} {
		for _, kind := range []int{websocket.TextMessage, websocket.BinaryMessage} {
			msg := bytes.Repeat([]byte("0123456789abcdef"), n/16+1)[:n]
			require.NoError(t, ws.WriteMessage(kind, msg), "gorilla/websocket could not send a %d-byte message", n)
			gotKind, got, err := ws.ReadMessage()
			require.NoError(t, err, "the server should echo a %d-byte message, text or binary, and keep the connection open", n)
			assert.Equal(t, kind, gotKind, "a %d-byte message must come back with the opcode it was sent with (RFC 6455 §5.6)", n)
			assert.True(t, bytes.Equal(msg, got), "a %d-byte message must come back unchanged; got %d bytes", n, len(got))
		}
	}
}

// ended is what a handler saw at the end of its connection.
type ended struct {
	err   error // what ReadMessage returned
	again error // what a second ReadMessage returned
}

// readUntilEnd is a handler that reads until ReadMessage fails and reports
// the error, and the error of one more call, on the channel.
func readUntilEnd(out chan<- ended) func(*Conn) {
	return func(c *Conn) {
		var e ended
		for e.err == nil {
			_, _, e.err = c.ReadMessage()
		}
		_, _, e.again = c.ReadMessage()
		out <- e
	}
}

// receive waits for a handler's report.
func receive[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(3 * wstest.Patience):
		require.FailNow(t, "the handler did not finish: "+what)
		panic("unreachable")
	}
}

func TestReadMessageAnswersTheClientsCloseAndReportsIt(t *testing.T) {
	out := make(chan ended, 1)
	ws := dial(t, serve(t, readUntilEnd(out)))
	require.NoError(t, ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, "bye")))

	ce := closeOf(t, ws)
	assert.Equal(t, websocket.CloseNormalClosure, ce.Code, "the server answers a close with a close that echoes the code (RFC 6455 §5.5.1)")
	_, _, err := ws.NextReader()
	assert.Error(t, err, "after its close frame, the server closes the TCP connection first (RFC 6455 §7.1.1)")
	ws.Close() // as a browser does once the server has closed

	e := receive(t, out, "ReadMessage should return after the client's close")
	var closeErr *CloseError
	require.ErrorAs(t, e.err, &closeErr, "ReadMessage reports the end of the connection as a *CloseError")
	assert.Equal(t, StatusNormalClosure, closeErr.Code, "the CloseError carries the client's code")
	assert.Equal(t, "bye", closeErr.Reason, "the CloseError carries the client's reason")
	assert.Equal(t, e.err, e.again, "once the connection has ended, every ReadMessage returns the same error")
}

func TestABrokenConnectionEndsWithAbnormalClosure(t *testing.T) {
	out := make(chan ended, 1)
	ws := dial(t, serve(t, readUntilEnd(out)))
	require.NoError(t, ws.UnderlyingConn().Close(), "the client drops TCP without a close frame")

	e := receive(t, out, "ReadMessage should return once the client has gone")
	var closeErr *CloseError
	require.ErrorAs(t, e.err, &closeErr, "ReadMessage reports the end of the connection as a *CloseError")
	assert.Equal(t, StatusAbnormalClosure, closeErr.Code,
		"a connection that ends without a close frame is reported as 1006 (RFC 6455 §7.1.5), never sent")
	assert.NotNil(t, closeErr.Err, "the CloseError should carry the network error in Err, for the handler's logs")
	assert.Equal(t, e.err, e.again, "once the connection has ended, every ReadMessage returns the same error")
}

func TestAMessageOverTheLimitFailsTheConnectionWith1009(t *testing.T) {
	out := make(chan ended, 1)
	ws := dial(t, serve(t, func(c *Conn) {
		c.SetMaxMessageSize(1000)
		op, data, err := c.ReadMessage()
		if err == nil {
			err = c.WriteMessage(op, data)
		}
		if err != nil {
			out <- ended{err: err}
			return
		}
		readUntilEnd(out)(c)
	}))
	require.NoError(t, ws.WriteMessage(websocket.BinaryMessage, make([]byte, 1000)))
	_, got, err := ws.ReadMessage()
	require.NoError(t, err, "a message of exactly the limit is allowed")
	assert.Len(t, got, 1000)

	require.NoError(t, ws.WriteMessage(websocket.BinaryMessage, make([]byte, 1001)))
	ce := closeOf(t, ws)
	assert.Equal(t, websocket.CloseMessageTooBig, ce.Code, "a message over SetMaxMessageSize fails the connection with 1009 (RFC 6455 §7.4.1)")
	ws.Close()

	e := receive(t, out, "ReadMessage should return once the connection is failed")
	var closeErr *CloseError
	require.ErrorAs(t, e.err, &closeErr, "ReadMessage reports the end of the connection as a *CloseError")
	assert.Equal(t, StatusMessageTooBig, closeErr.Code, "the handler learns why: the code the connection was failed with")
	assert.NotNil(t, closeErr.Err, "and the cause, in Err")
}

func TestCloseSendsACloseFrameAndNothingAfterIt(t *testing.T) {
	type report struct{ closeErr, writeErr error }
	out := make(chan report, 1)
	ws := dial(t, serve(t, func(c *Conn) {
		var r report
		if _, _, err := c.ReadMessage(); err != nil {
			r.closeErr = err
		} else {
			r.closeErr = c.Close(StatusGoingAway, "restart")
			r.writeErr = c.WriteMessage(frame.OpText, []byte("too late"))
		}
		out <- r
	}))
	require.NoError(t, ws.WriteMessage(websocket.TextMessage, []byte("go")))
	ce := closeOf(t, ws)
	assert.Equal(t, websocket.CloseGoingAway, ce.Code, "Close(StatusGoingAway, …) sends a close frame with 1001 (RFC 6455 §5.5.1)")
	assert.Equal(t, "restart", ce.Text, "the close frame carries the reason after the code")
	require.NoError(t, ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseGoingAway, "")),
		"the client answers the close")

	_, _, err := ws.NextReader()
	assert.Error(t, err, "after the closing handshake the server closes TCP (RFC 6455 §7.1.1)")
	ws.Close()

	r := receive(t, out, "Close should return once the client has answered")
	assert.NoError(t, r.closeErr, "Close should succeed on an open connection")
	assert.ErrorIs(t, r.writeErr, ErrClosed, "after a close frame, \"the endpoint MUST NOT send any more data frames\" (RFC 6455 §5.5.1)")
}

func TestCloseGivesUpOnAClientThatNeverAnswers(t *testing.T) {
	out := make(chan time.Duration, 1)
	addr := serve(t, func(c *Conn) {
		start := time.Now()
		_ = c.Close(StatusGoingAway, "")
		out <- time.Since(start)
	})
	// A raw client: it sends the handshake and then neither reads nor
	// answers anything.
	conn := wstest.Dial(t, addr)
	_, err := io.WriteString(conn, "GET / HTTP/1.1\r\nHost: test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
	require.NoError(t, err)

	took := receive(t, out, fmt.Sprintf("Close must not wait forever for an answer: give up after closeWait (%v)", closeWait))
	assert.Less(t, took, closeWait+wstest.Patience, "Close should give up on a silent client after closeWait (%v)", closeWait)
}

func TestWriteMessageRefusesWhatTheClientCouldNotAccept(t *testing.T) {
	type report struct{ ping, invalid, valid error }
	out := make(chan report, 1)
	dial(t, serve(t, func(c *Conn) {
		out <- report{
			ping:    c.WriteMessage(frame.OpPing, nil),
			invalid: c.WriteMessage(frame.OpText, []byte("caf\xe9")),
			valid:   c.WriteMessage(frame.OpText, []byte("café")),
		}
	}))
	r := receive(t, out, "WriteMessage should return")
	assert.Error(t, r.ping, "WriteMessage sends text or binary messages: control frames are the Conn's own business")
	assert.ErrorIs(t, r.invalid, message.ErrInvalidUTF8,
		"a text message must be UTF-8, or the client fails the connection with 1007 (RFC 6455 §8.1): refuse it with step 7's ErrInvalidUTF8")
	assert.NoError(t, r.valid, "valid text must be sent")
}

func TestWritesFromManyGoroutinesNeverInterleave(t *testing.T) {
	const writers, each = 8, 100
	ws := dial(t, serve(t, func(c *Conn) {
		var wg sync.WaitGroup
		for w := range writers {
			wg.Go(func() {
				for i := range each {
					// Sizes around the 126 and 65536 length forms.
					msg := fmt.Sprintf("%d %d %s", w, i, strings.Repeat("x", []int{10, 200, 70000}[i%3]))
					if c.WriteMessage(frame.OpText, []byte(msg)) != nil {
						return
					}
				}
			})
		}
		wg.Wait()
		_, _, _ = c.ReadMessage()
	}))
	_ = ws.SetReadDeadline(time.Now().Add(3 * wstest.Patience))
	next := make([]int, writers)
	for n := range writers * each {
		_, msg, err := ws.ReadMessage()
		require.NoError(t, err, "message %d of %d: frames written by several goroutines at once must reach the wire whole, "+
			"one after the other; hold a mutex for the whole frame (docs/08-control.md, \"Why writes need a mutex\")", n+1, writers*each)
		var w, i int
		_, err = fmt.Sscanf(string(msg), "%d %d", &w, &i)
		require.NoError(t, err, "message %d is garbled: %.40q", n+1, msg)
		require.True(t, w >= 0 && w < writers, "message %d names writer %d", n+1, w)
		assert.Equal(t, next[w], i, "the messages of one goroutine must arrive in the order it wrote them")
		next[w] = i + 1
	}
}
