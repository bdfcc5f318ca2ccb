package control

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	frame "github.com/wsfromtcp/workshop/steps/04-frame-decode"
	"github.com/wsfromtcp/workshop/tools/conformance/suite"
	"github.com/wsfromtcp/workshop/tools/wstest"
	"github.com/wsfromtcp/workshop/tools/wstest/assert"
	"github.com/wsfromtcp/workshop/tools/wstest/require"
	"github.com/wsfromtcp/workshop/tools/wstest/wsclient"
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
// this workshop wrote. The tests set a deadline before each read and write.
func dial(t *testing.T, addr string) *websocket.Conn {
	t.Helper()
	ws, err := wsclient.Dial(t, "ws://"+addr+"/", wsclient.Buffers(1<<16))
	require.NoError(t, err, "gorilla/websocket could not complete the opening handshake: run make step3 first")
	ws.SetReadLimit(64 << 20)
	// The test reads close frames itself; gorilla's default answers them.
	ws.SetCloseHandler(func(int, string) error { return nil })
	return ws
}

// soon is a deadline for one read or write: only a hang waits that long.
func soon() time.Time { return time.Now().Add(wstest.Patience) }

// closeOf reads from ws until the connection ends and returns the close
// frame the server sent, or fails the test when it sent none.
func closeOf(t *testing.T, ws *websocket.Conn) *websocket.CloseError {
	t.Helper()
	for {
		_ = ws.SetReadDeadline(soon())
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

// rawClient is a WebSocket client on a bare TCP connection, written for
// these tests: it sends exactly the frames a test asks for, and reads the
// server's frames one at a time, so that a test sees what came in which
// order, and how the server closed TCP.
type rawClient struct {
	t    *testing.T
	conn net.Conn
	br   *bufio.Reader
}

// rawDial connects and completes the opening handshake.
func rawDial(t *testing.T, addr string) *rawClient {
	t.Helper()
	conn := wstest.Dial(t, addr)
	_, err := io.WriteString(conn, "GET / HTTP/1.1\r\nHost: test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
	require.NoError(t, err)
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	require.NoError(t, err, "the server must answer the opening handshake: run make step3 first")
	resp.Body.Close()
	require.Equal(t, 101, resp.StatusCode, "the server must accept the opening handshake: run make step3 first")
	return &rawClient{t: t, conn: conn, br: br}
}

// send writes one masked frame, as a client must (RFC 6455 §5.3).
func (c *rawClient) send(fin bool, op frame.Opcode, payload []byte) {
	c.t.Helper()
	b0 := byte(op)
	if fin {
		b0 |= frame.FinBit
	}
	out := []byte{b0}
	switch n := len(payload); {
	case n <= frame.MaxLen7:
		out = append(out, frame.MaskBit|byte(n))
	case n <= 0xFFFF:
		out = binary.BigEndian.AppendUint16(append(out, frame.MaskBit|frame.Len16Mark), uint16(n))
	default:
		out = binary.BigEndian.AppendUint64(append(out, frame.MaskBit|frame.Len64Mark), uint64(n))
	}
	key := [4]byte{0x37, 0xfa, 0x21, 0x3d}
	out = append(out, key[:]...)
	for i, b := range payload {
		out = append(out, b^key[i%4])
	}
	_ = c.conn.SetWriteDeadline(soon())
	_, err := c.conn.Write(out)
	require.NoError(c.t, err, "the client could not send a %s frame: the server stopped reading", op)
}

// sendClose sends a close frame with code and reason.
func (c *rawClient) sendClose(code int, reason string) {
	c.t.Helper()
	c.send(true, frame.OpClose, append(binary.BigEndian.AppendUint16(nil, uint16(code)), reason...))
}

// next reads the server's next frame; what names what the test expects,
// for the failure message.
func (c *rawClient) next(what string) (frame.Opcode, []byte) {
	c.t.Helper()
	_ = c.conn.SetReadDeadline(soon())
	var hdr [2]byte
	_, err := io.ReadFull(c.br, hdr[:])
	var ne net.Error
	switch {
	case err == nil:
	case errors.Is(err, io.EOF):
		require.FailNow(c.t, fmt.Sprintf("waiting for %s, the client saw the server close TCP without it: "+
			"a connection is failed with a close frame first, then TCP is closed (RFC 6455 §7.1.7)", what))
	case errors.As(err, &ne) && ne.Timeout():
		require.FailNow(c.t, fmt.Sprintf("waiting for %s, the client got nothing within %v", what, wstest.Patience))
	default:
		require.NoError(c.t, err, "waiting for %s, the client got no frame", what)
	}
	require.Zero(c.t, hdr[1]&frame.MaskBit, "the server masked a frame: a server never masks (RFC 6455 §5.1)")
	n := uint64(hdr[1] & frame.Len7Bits)
	switch n {
	case frame.Len16Mark:
		var b [2]byte
		_, err = io.ReadFull(c.br, b[:])
		n = uint64(binary.BigEndian.Uint16(b[:]))
	case frame.Len64Mark:
		var b [8]byte
		_, err = io.ReadFull(c.br, b[:])
		n = binary.BigEndian.Uint64(b[:])
	}
	require.NoError(c.t, err, "waiting for %s, the client got half a frame header", what)
	require.LessOrEqual(c.t, n, uint64(64<<20), "the server sent a frame of %d bytes", n)
	payload := make([]byte, n)
	_, err = io.ReadFull(c.br, payload)
	require.NoError(c.t, err, "waiting for %s, the client got half a frame", what)
	return frame.Opcode(hdr[0] & frame.OpcodeBits), payload
}

// nextClose reads the server's next frame, which must be a close frame,
// and returns its code (1005 for none) and reason.
func (c *rawClient) nextClose(what string) (int, string) {
	c.t.Helper()
	op, p := c.next(what)
	require.Equal(c.t, frame.OpClose, op, "waiting for %s, the client got a %s frame %.40q", what, op, p)
	if len(p) < 2 {
		return 1005, ""
	}
	return int(binary.BigEndian.Uint16(p)), string(p[2:])
}

// tcpEnd is what the client read after the server's last frame.
type tcpEnd struct {
	more []byte // bytes the server sent after it
	err  error  // why the read ended
}

// readEnd reads what follows the server's last frame.
func (c *rawClient) readEnd() tcpEnd {
	_ = c.conn.SetReadDeadline(soon())
	more := make([]byte, 16)
	n, err := c.br.Read(more)
	return tcpEnd{more[:n], err}
}

// expectClosed checks that the server closes the TCP connection, cleanly,
// and sends nothing before it; why says when it should.
func (c *rawClient) expectClosed(why string) {
	c.t.Helper()
	c.judgeEnd(c.readEnd(), nil, why)
}

// judgeEnd judges how the server ended the connection. end is how the
// connection ended for the handler, when the test knows: a server whose
// closeWait ran out before the client's answer could be read (a machine
// too slow for the test's client) closes TCP with the late answer unread,
// as it must, and the reset that follows is then no fault of the server.
func (c *rawClient) judgeEnd(e tcpEnd, end error, why string) {
	c.t.Helper()
	var ne net.Error
	switch {
	case len(e.more) > 0:
		require.FailNow(c.t, fmt.Sprintf("the server sent more after its close frame (% x): after its close frame, an endpoint sends "+
			"nothing, no data and no pong (RFC 6455 §5.5.1)", e.more))
	case errors.Is(e.err, io.EOF):
	case errors.As(e.err, &ne) && ne.Timeout():
		require.FailNow(c.t, fmt.Sprintf("the server did not close the TCP connection within %v: %s", wstest.Patience, why))
	case gaveUpWaiting(end):
	default:
		require.FailNow(c.t, fmt.Sprintf("the server reset the connection (%v) instead of closing it: a socket closed with bytes still unread "+
			"sends a reset, which can destroy the close frame before the client reads it. The server must read the client's close frame "+
			"before it closes TCP (RFC 6455 §7.1.1); %s", e.err, why))
	}
}

// gaveUpWaiting reports whether a connection ended because a read deadline
// passed: 1006, with a timeout as the cause.
func gaveUpWaiting(end error) bool {
	var ce *CloseError
	var ne net.Error
	return errors.As(end, &ce) && ce.Code == StatusAbnormalClosure && errors.As(ce.Err, &ne) && ne.Timeout()
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
