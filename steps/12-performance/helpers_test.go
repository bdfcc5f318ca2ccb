package performance

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	frame "github.com/wsfromtcp/workshop/steps/04-frame-decode"
	"github.com/wsfromtcp/workshop/tools/wstest"
	"github.com/wsfromtcp/workshop/tools/wstest/require"
)

// key is the masking key of every frame the tests send (RFC 6455 §5.3).
var key = [4]byte{0x37, 0xfa, 0x21, 0x3d}

// clientFrame builds one masked frame, as a client sends it (RFC 6455
// §5.2, §5.3), with the shortest length form. announce, when not negative,
// is the length the header claims instead of len(payload): a test that
// sends only the start of a frame uses it.
func clientFrame(fin bool, op frame.Opcode, payload []byte, announce int) []byte {
	if announce < 0 {
		announce = len(payload)
	}
	b0 := byte(op)
	if fin {
		b0 |= frame.FinBit
	}
	out := []byte{b0}
	switch n := announce; {
	case n <= frame.MaxLen7:
		out = append(out, frame.MaskBit|byte(n))
	case n <= 0xFFFF:
		out = binary.BigEndian.AppendUint16(append(out, frame.MaskBit|frame.Len16Mark), uint16(n))
	default:
		out = binary.BigEndian.AppendUint64(append(out, frame.MaskBit|frame.Len64Mark), uint64(n))
	}
	out = append(out, key[:]...)
	for i, b := range payload {
		out = append(out, b^key[i%4])
	}
	return out
}

// pair connects two ends of a loopback TCP connection and wraps the
// server's end in a Conn, without an opening handshake (the Conn starts
// after it). The client's end has a deadline of Patience on every read and
// write; both ends are closed when the test ends.
func pair(t testing.TB) (*Conn, net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	client := wstest.Dial(t, ln.Addr().String())
	server, err := ln.Accept()
	require.NoError(t, err)
	t.Cleanup(func() { server.Close() })
	return NewConn(server, bufio.NewReader(server)), client
}

// send writes bytes from the client, which must all go out.
func send(t *testing.T, client net.Conn, b []byte) {
	t.Helper()
	_ = client.SetWriteDeadline(time.Now().Add(wstest.Patience))
	_, err := client.Write(b)
	require.NoError(t, err, "the client could not send: the server stopped reading")
}

// nextFrame reads the server's next frame; what names what the test
// expects, for the failure message.
func nextFrame(t *testing.T, r io.Reader, what string) (frame.Opcode, []byte) {
	t.Helper()
	op, payload, err := wstest.ReadServerFrame(r, 64<<20)
	var ne net.Error
	switch {
	case err == nil:
	case errors.Is(err, io.EOF):
		require.FailNow(t, fmt.Sprintf("waiting for %s, the client saw the server close TCP without it", what))
	case errors.As(err, &ne) && ne.Timeout():
		require.FailNow(t, fmt.Sprintf("waiting for %s, the client got nothing within %v", what, wstest.Patience))
	default:
		require.NoError(t, err, "waiting for %s, the client got no frame", what)
	}
	return frame.Opcode(op), payload
}

// closeCode reads the server's frames until a close frame and returns its
// status code (RFC 6455 §5.5.1), or 1005 for an empty one.
func closeCode(t *testing.T, r io.Reader, what string) int {
	t.Helper()
	for {
		op, p := nextFrame(t, r, what)
		if op != frame.OpClose {
			continue
		}
		if len(p) < 2 {
			return 1005
		}
		return int(binary.BigEndian.Uint16(p))
	}
}

// serveFast starts Serve on a free loopback port with handle and stops it
// when the test ends, without waiting forever for a handler that hangs.
// (Step 8's checks, which this step's grade runs too, have a serve of
// their own.)
func serveFast(t *testing.T, handle func(*Conn)) string {
	t.Helper()
	srv, err := Serve("127.0.0.1:0", handle)
	require.NoError(t, err, "Serve on 127.0.0.1:0 should succeed (it is step 3's Listen)")
	wstest.CleanupWithin(t, wstest.Patience, func() { srv.Close() })
	return srv.Addr().String()
}

// upgrade connects to addr and completes the opening handshake; the
// reader holds what follows the server's answer.
func upgrade(t *testing.T, addr string) (net.Conn, *bufio.Reader) {
	t.Helper()
	conn := wstest.Dial(t, addr)
	_, err := io.WriteString(conn, wstest.RFCHandshake)
	require.NoError(t, err)
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	require.NoError(t, err, "the server must answer the opening handshake: run make step3 first")
	resp.Body.Close()
	require.Equal(t, 101, resp.StatusCode, "the server must accept the opening handshake: run make step3 first")
	return conn, br
}
