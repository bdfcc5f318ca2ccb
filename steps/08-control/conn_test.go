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

	frame "github.com/wsfromtcp/workshop/steps/04-frame-decode"
	message "github.com/wsfromtcp/workshop/steps/07-messages"
	"github.com/wsfromtcp/workshop/tools/wstest"
	"github.com/wsfromtcp/workshop/tools/wstest/assert"
	"github.com/wsfromtcp/workshop/tools/wstest/require"
)

func TestEchoSendsMessagesBackToAnIndependentClient(t *testing.T) {
	// Proves RFC 6455 R-6.1-5, R-6.1-3 (docs/rfc6455.md).
	ws := dial(t, serve(t, Echo))
	for _, n := range []int{0, 1, 125, 126, 65535, 65536, 1 << 20} {
		for _, kind := range []int{websocket.TextMessage, websocket.BinaryMessage} {
			msg := bytes.Repeat([]byte("0123456789abcdef"), n/16+1)[:n]
			_ = ws.SetWriteDeadline(soon())
			require.NoError(t, ws.WriteMessage(kind, msg), "gorilla/websocket could not send a %d-byte message", n)
			_ = ws.SetReadDeadline(soon())
			gotKind, got, err := ws.ReadMessage()
			require.NoError(t, err, "the server should echo a %d-byte message, text or binary, and keep the connection open", n)
			assert.Equal(t, kind, gotKind, "a %d-byte message must come back with the opcode it was sent with (RFC 6455 §5.6)", n)
			assert.True(t, bytes.Equal(msg, got), "a %d-byte message must come back unchanged; got %d bytes", n, len(got))
		}
	}
}

func TestReadMessageReturnsDataTheCallerMayKeep(t *testing.T) {
	out := make(chan [][]byte, 1)
	ws := dial(t, serve(t, func(c *Conn) {
		var kept [][]byte
		for range 3 {
			_, data, err := c.ReadMessage()
			if err != nil {
				break
			}
			kept = append(kept, data)
		}
		out <- kept
	}))
	sent := []string{"first", "2nd …", "third"}
	for _, m := range sent {
		_ = ws.SetWriteDeadline(soon())
		require.NoError(t, ws.WriteMessage(websocket.TextMessage, []byte(m)))
	}
	kept := receive(t, out, "the handler should get three messages")
	require.Len(t, kept, len(sent), "the handler should get the three messages the client sent")
	for i, m := range sent {
		assert.Equal(t, m, string(kept[i]), "message %d changed after a later ReadMessage: the data ReadMessage returns belongs to the caller, "+
			"who may keep it (step 9's hub hands it to every client); never hand out a buffer that the next read overwrites", i+1)
	}
}

func TestAnUnsolicitedPongGetsNoAnswer(t *testing.T) {
	// Proves RFC 6455 R-5.5.3-3 (docs/rfc6455.md).
	c := rawDial(t, serve(t, Echo))
	c.send(true, frame.OpPong, []byte("heartbeat"))
	c.send(true, frame.OpPing, []byte("are you there?"))
	op, p := c.next("the pong that answers the ping")
	require.NotEqual(t, "heartbeat", string(p), "the server answered a pong: a pong that arrives without a ping is a heartbeat, "+
		"and \"a response to an unsolicited Pong frame is not expected\" (RFC 6455 §5.5.3). Ignore it")
	assert.Equal(t, frame.OpPong, op, "a ping is answered with a pong (RFC 6455 §5.5.2)")
	assert.Equal(t, "are you there?", string(p), "a pong carries the ping's payload (RFC 6455 §5.5.3)")
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
	return receiveWithin(t, ch, 2*wstest.Patience, what)
}

// receiveWithin waits at most d for a handler's report.
func receiveWithin[T any](t *testing.T, ch <-chan T, d time.Duration, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(d):
		require.FailNow(t, "the handler did not finish: "+what)
		panic("unreachable")
	}
}

// holding runs handle, then keeps the connection's goroutine until release
// is called, so that what happens to TCP meanwhile is the Conn's doing, not
// the server's closing the connection after its handler.
func holding(handle func(*Conn)) (hold func(*Conn), release func()) {
	ch := make(chan struct{})
	return func(c *Conn) {
		handle(c)
		<-ch
	}, sync.OnceFunc(func() { close(ch) })
}

func TestReadMessageAnswersTheClientsCloseAndReportsIt(t *testing.T) {
	// Proves RFC 6455 R-5.5.1-4, R-5.5.1-7 (docs/rfc6455.md),
	// and also R-5.5.1-6, R-5.5.1-5, R-7.1.1-3, R-7.1.1-4, R-6.2-2.
	out := make(chan ended, 1)
	handle, release := holding(readUntilEnd(out))
	defer release()
	c := rawDial(t, serve(t, handle))
	c.sendClose(1000, "bye")

	code, _ := c.nextClose("the answer to the client's close")
	assert.Equal(t, 1000, code, "the server answers a close with a close that echoes the code (RFC 6455 §5.5.1)")
	c.expectClosed("after answering the client's close, ReadMessage closes TCP itself: the server closes first (RFC 6455 §7.1.1)")
	c.conn.Close() // as a browser does once the server has closed

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
	// Proves RFC 6455 R-10.4-1, R-7.4.1-1 (docs/rfc6455.md).
	out := make(chan ended, 3)
	addr := serve(t, func(c *Conn) {
		c.SetMaxMessageSize(100)
		var e ended
		for e.err == nil {
			var op frame.Opcode
			var data []byte
			if op, data, e.err = c.ReadMessage(); e.err == nil {
				e.err = c.WriteMessage(op, data)
			}
		}
		out <- e
	})
	tooBig := func(c *rawClient, what string) {
		t.Helper()
		code, _ := c.nextClose("the close frame after " + what)
		assert.Equal(t, 1009, code, "%s is over the limit of SetMaxMessageSize(100): fail the connection with 1009, message too big (RFC 6455 §7.4.1)", what)
		c.expectClosed("after failing the connection, the server closes TCP (RFC 6455 §7.1.7)")
		c.conn.Close()
		e := receive(t, out, "ReadMessage should return once the connection is failed")
		var closeErr *CloseError
		if assert.ErrorAs(t, e.err, &closeErr, "ReadMessage reports the end of the connection as a *CloseError") {
			assert.Equal(t, StatusMessageTooBig, closeErr.Code, "the handler learns why: the code the connection was failed with")
			assert.NotNil(t, closeErr.Err, "and the cause, in Err")
		}
	}

	c := rawDial(t, addr)
	c.send(true, frame.OpBinary, make([]byte, 100))
	op, p := c.next("the echo of a message of exactly the limit")
	assert.Equal(t, frame.OpBinary, op, "a message of exactly the limit is allowed")
	assert.Len(t, p, 100, "a message of exactly the limit is allowed")
	c.send(true, frame.OpPing, bytes.Repeat([]byte("p"), 125))
	op, p = c.next("the pong")
	require.Equal(t, frame.OpPong, op, "a ping of 125 bytes is legal whatever the message limit: the limit passed to ReadClientFrame "+
		"is the message limit, but never less than 125 (docs/08-control.md)")
	assert.Len(t, p, 125, "the pong carries the ping's 125 bytes (RFC 6455 §5.5.3)")
	c.send(true, frame.OpBinary, make([]byte, 101))
	tooBig(c, "a message of 101 bytes")

	c = rawDial(t, addr)
	c.send(false, frame.OpText, bytes.Repeat([]byte("a"), 60))
	c.send(true, frame.OpContinuation, bytes.Repeat([]byte("b"), 60))
	tooBig(c, "a message of two fragments of 60 bytes")

	c = rawDial(t, addr)
	c.send(true, frame.OpBinary, make([]byte, 1000))
	tooBig(c, "a single frame of 1000 bytes")
}

// closeReport is what a handler that called Close saw.
type closeReport struct {
	closeErr error // what Close returned
	end      error // how the connection ended: what ReadMessage returns afterwards
}

func TestCloseWaitsForTheClientsAnswerBeforeItReturns(t *testing.T) {
	// Proves RFC 6455 R-7.1.2-2 (docs/rfc6455.md).
	// Close returns once the closing handshake is over. Until the client
	// answers, the only bound is closeWait: if Close returns before the
	// answer, the client's close frame arrives at a connection that is
	// closing, and a server that shuts down right after Close cuts the
	// handshake short (the client sees 1006, not the code it was sent).
	handshake := func(t *testing.T, c *rawClient, out <-chan closeReport, read <-chan error) {
		t.Helper()
		code, reason := c.nextClose("the close frame of Close(StatusGoingAway, \"restart\")")
		assert.Equal(t, 1001, code, "Close(StatusGoingAway, …) sends a close frame with 1001 (RFC 6455 §5.5.1)")
		assert.Equal(t, "restart", reason, "the close frame carries the reason after the code")
		select {
		case <-out:
			require.FailNow(t, "Close returned before the client answered its close frame: Close must wait for the answer (at most closeWait), "+
				"and read it itself when no ReadMessage is running: the closing handshake is one close frame each way (RFC 6455 §5.5.1, §7.1.2)")
		case <-time.After(closeWait / 4):
		}
		c.sendClose(1001, "")
		tcp := c.readEnd()
		c.conn.Close()
		r := receiveWithin(t, out, closeWait+wstest.Patience, "Close should return once the client has answered")
		assert.NoError(t, r.closeErr, "Close should succeed on an open connection")
		if read != nil {
			r.end = receive(t, read, "the other goroutine's ReadMessage should return once the handshake is over")
		}
		var closeErr *CloseError
		assert.ErrorAs(t, r.end, &closeErr, "after Close, ReadMessage reports how the connection ended, as a *CloseError")
		c.judgeEnd(tcp, r.end, "once the client has answered, the server closes TCP (RFC 6455 §7.1.1); when no ReadMessage is running, "+
			"Close reads the answer itself")
	}

	t.Run("when no other goroutine reads", func(t *testing.T) {
		out := make(chan closeReport, 1)
		c := rawDial(t, serve(t, func(c *Conn) {
			r := closeReport{closeErr: c.Close(StatusGoingAway, "restart")}
			_, _, r.end = c.ReadMessage()
			out <- r
		}))
		handshake(t, c, out, nil)
	})

	t.Run("while another goroutine is in ReadMessage", func(t *testing.T) {
		out := make(chan closeReport, 1)
		read := make(chan error, 1)
		closeNow := make(chan struct{})
		c := rawDial(t, serve(t, func(c *Conn) {
			go func() {
				for {
					if _, _, err := c.ReadMessage(); err != nil {
						read <- err
						return
					}
				}
			}()
			select {
			case <-closeNow:
			case <-time.After(2 * wstest.Patience):
			}
			out <- closeReport{closeErr: c.Close(StatusGoingAway, "restart")}
		}))
		// A ping answered means the other goroutine is inside ReadMessage,
		// and stays there: a ping does not end ReadMessage.
		c.send(true, frame.OpPing, []byte("are you reading?"))
		op, p := c.next("the pong")
		require.Equal(t, frame.OpPong, op, "a ping is answered with a pong (RFC 6455 §5.5.2)")
		require.Equal(t, "are you reading?", string(p), "a pong carries the ping's payload (RFC 6455 §5.5.3)")
		close(closeNow)
		handshake(t, c, out, read)
	})
}

func TestCloseSendsACloseFrameAndNothingAfterIt(t *testing.T) {
	// Proves RFC 6455 R-5.5.1-3, R-7.1.2-1 (docs/rfc6455.md),
	// and also R-6.1-1, R-6.1-2.
	type report struct{ closeErr, writeErr, end error }
	out := make(chan report, 1)
	c := rawDial(t, serve(t, func(c *Conn) {
		var r report
		if _, _, err := c.ReadMessage(); err != nil {
			r.closeErr = err
		} else {
			r.closeErr = c.Close(StatusGoingAway, "restart")
			r.writeErr = c.WriteMessage(frame.OpText, []byte("too late"))
			_, _, r.end = c.ReadMessage()
		}
		out <- r
	}))
	c.send(true, frame.OpText, []byte("go"))
	code, reason := c.nextClose("the close frame of Close(StatusGoingAway, \"restart\")")
	assert.Equal(t, 1001, code, "Close(StatusGoingAway, …) sends a close frame with 1001 (RFC 6455 §5.5.1)")
	assert.Equal(t, "restart", reason, "the close frame carries the reason after the code")
	// A ping that crossed the close frame: after its close frame, the
	// server sends nothing, not even a pong.
	c.send(true, frame.OpPing, []byte("late"))
	c.sendClose(1001, "")
	tcp := c.readEnd()
	c.conn.Close()

	r := receive(t, out, "Close should return once the client has answered")
	c.judgeEnd(tcp, r.end, "after the closing handshake the server closes TCP (RFC 6455 §7.1.1)")
	assert.NoError(t, r.closeErr, "Close should succeed on an open connection")
	assert.ErrorIs(t, r.writeErr, ErrClosed, "after a close frame, \"the endpoint MUST NOT send any more data frames\" (RFC 6455 §5.5.1)")
}

func TestCloseGivesUpOnAClientThatNeverAnswers(t *testing.T) {
	// A short closeWait keeps the check quick; a server that waits longer
	// than its closeWait is still bounded by Patience below. The old value
	// comes back after the server is closed (cleanups run last first).
	old := closeWait
	closeWait = 200 * time.Millisecond
	t.Cleanup(func() { closeWait = old })
	out := make(chan struct{}, 1)
	addr := serve(t, func(c *Conn) {
		_ = c.Close(StatusGoingAway, "")
		out <- struct{}{}
	})
	// A raw client: it sends the handshake and then neither reads nor
	// answers anything.
	conn := wstest.Dial(t, addr)
	_, err := io.WriteString(conn, "GET / HTTP/1.1\r\nHost: test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
	require.NoError(t, err)

	receiveWithin(t, out, closeWait+wstest.Patience, fmt.Sprintf("Close must not wait forever for an answer: "+
		"give up after closeWait (%v), with a read deadline, and close TCP anyway", closeWait))
}

func TestCloseRefusesACodeThatMayNotBeSent(t *testing.T) {
	// Proves RFC 6455 R-7.4.1-3, R-7.4.1-4 (docs/rfc6455.md),
	// and also R-7.4.1-5.
	out := make(chan []error, 1)
	ended := make(chan error, 1)
	c := rawDial(t, serve(t, func(c *Conn) {
		errs := []error{c.Close(StatusNoStatusReceived, ""), c.Close(StatusAbnormalClosure, ""), c.Close(StatusTLSHandshake, ""), c.Close(999, "")}
		errs = append(errs, c.WriteMessage(frame.OpText, []byte("still open")))
		out <- errs
		_ = c.Close(StatusNormalClosure, "done")
		_, _, end := c.ReadMessage()
		ended <- end
	}))
	op, p := c.next("the text \"still open\"")
	require.NotEqual(t, frame.OpClose, op, "the server sent a close frame %.40q for a code that may not be sent: 1005, 1006 and 1015 "+
		"\"MUST NOT be set as a status code in a Close control frame\" (RFC 6455 §7.4.1), and 999 is no code at all: Close must refuse them "+
		"with an error and send nothing (ValidOnWire says which)", p)
	assert.Equal(t, "still open", string(p), "after Close refused a code, the connection is still open")
	errs := receive(t, out, "Close and WriteMessage should return")
	for i, code := range []StatusCode{1005, 1006, 1015, 999} {
		assert.Error(t, errs[i], "Close(%d) must return an error: that code may not go on the wire (RFC 6455 §7.4)", uint16(code))
	}
	assert.NoError(t, errs[4], "the connection is still open after Close refused a code")
	code, _ := c.nextClose("the close frame of Close(StatusNormalClosure, \"done\")")
	assert.Equal(t, 1000, code)
	c.sendClose(1000, "")
	tcp := c.readEnd()
	c.conn.Close()
	c.judgeEnd(tcp, receive(t, ended, "Close should return once the client has answered"),
		"after the closing handshake the server closes TCP (RFC 6455 §7.1.1)")
}

func TestWriteMessageRefusesWhatTheClientCouldNotAccept(t *testing.T) {
	// Proves RFC 6455 R-6.1-4, R-5.6-1 (docs/rfc6455.md).
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
	// Proves RFC 6455 R-5.4-4 (docs/rfc6455.md).
	const writers, each = 8, 60
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
	next := make([]int, writers)
	for n := range writers * each {
		_ = ws.SetReadDeadline(soon())
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
