// Package suite is the workshop's conformance suite: Autobahn-style cases
// that judge any WebSocket echo server over raw TCP, from the opening
// handshake to the closing one.
//
// It is written independently of the reference solution, as the judge of
// both it and the learner's server: its client builds and reads frames by
// hand (RFC 6455 §5.2, https://www.rfc-editor.org/rfc/rfc6455#section-5.2)
// and checks every answer byte by byte, including the exact status code of
// a close frame (§7.4).
package suite

import (
	"bufio"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/wsfromtcp/workshop/tools/wstest"
)

// Wait is how long a case waits for the server to answer. A server that
// works answers in microseconds; one that says nothing fails the case.
// It grows with wstest.Patience (under -race, and with WORKSHOP_PATIENCE),
// so that a busy machine never fails a case of a correct server.
var Wait = wstest.Patience * 2 / 3

// client is one TCP connection to the server under test.
type client struct {
	conn net.Conn
	br   *bufio.Reader
}

func dialTCP(addr string) (*client, error) {
	conn, err := net.DialTimeout("tcp", addr, Wait)
	if err != nil {
		return nil, fmt.Errorf("could not connect to %s: %w", addr, err)
	}
	_ = conn.SetDeadline(time.Now().Add(3 * Wait))
	return &client{conn: conn, br: bufio.NewReader(conn)}, nil
}

// sampleKey is the Sec-WebSocket-Key of RFC 6455 §1.3, whose accept value
// the RFC works out: a known answer.
const (
	sampleKey    = "dGhlIHNhbXBsZSBub25jZQ=="
	sampleAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
)

func handshakeRequest(key string) string {
	return "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n"
}

// response is an HTTP response head as the suite reads it.
type response struct {
	status int
	header map[string]string // lower-case names
}

// readResponse reads a response head: a status line and fields up to the
// empty line (RFC 9112 §4).
func (c *client) readResponse() (*response, error) {
	line, err := c.br.ReadString('\n')
	if err != nil {
		return nil, c.silence("an HTTP response", err)
	}
	var proto string
	r := &response{header: map[string]string{}}
	if _, err := fmt.Sscanf(line, "%s %d", &proto, &r.status); err != nil || !strings.HasPrefix(proto, "HTTP/1.") {
		return nil, fmt.Errorf("the status line %q is not HTTP/1.x", strings.TrimSpace(line))
	}
	for {
		line, err := c.br.ReadString('\n')
		if err != nil {
			return nil, c.silence("the rest of the response head", err)
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			return r, nil
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			return nil, fmt.Errorf("the response field %q has no colon", line)
		}
		r.header[strings.ToLower(name)] = strings.TrimSpace(value)
	}
}

// open dials and completes the opening handshake, checking the 101 the
// way a browser does (RFC 6455 §4.1).
func open(addr string) (*client, error) {
	c, err := dialTCP(addr)
	if err != nil {
		return nil, err
	}
	key := make([]byte, 16)
	_, _ = rand.Read(key)
	k := base64.StdEncoding.EncodeToString(key)
	if _, err := io.WriteString(c.conn, handshakeRequest(k)); err != nil {
		c.close()
		return nil, err
	}
	r, err := c.readResponse()
	if err != nil {
		c.close()
		return nil, fmt.Errorf("opening handshake: %w", err)
	}
	sum := sha1.Sum([]byte(k + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	switch want := base64.StdEncoding.EncodeToString(sum[:]); {
	case r.status != 101:
		err = fmt.Errorf("opening handshake: status %d, want 101 (RFC 6455 §4.2.2)", r.status)
	case r.header["sec-websocket-accept"] != want:
		err = fmt.Errorf("opening handshake: Sec-WebSocket-Accept %q, want %q (RFC 6455 §4.2.2)", r.header["sec-websocket-accept"], want)
	}
	if err != nil {
		c.close()
		return nil, err
	}
	return c, nil
}

func (c *client) close() { c.conn.Close() }

// silence describes a read that got nothing: the server said nothing in
// time, or closed the connection.
func (c *client) silence(what string, err error) error {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return fmt.Errorf("the server sent nothing within %v while %s was expected", Wait, what)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) || isReset(err) {
		return fmt.Errorf("the server closed the TCP connection while %s was expected", what)
	}
	return fmt.Errorf("reading %s: %w", what, err)
}

func isReset(err error) bool {
	return err != nil && (strings.Contains(err.Error(), "connection reset") || strings.Contains(err.Error(), "broken pipe"))
}

// Opcodes and close codes, spelled out here so that the suite depends on
// nothing it judges (RFC 6455 §5.2, §7.4.1).
const (
	opCont   = 0x0
	opText   = 0x1
	opBinary = 0x2
	opClose  = 0x8
	opPing   = 0x9
	opPong   = 0xA
)

// frame is a frame as the client writes it or reads it.
type frame struct {
	fin     bool
	rsv     byte // the three RSV bits, in place (0x70 for all)
	op      byte
	masked  bool
	payload []byte
}

// encode writes a client frame: masked with a fresh random key, as RFC 6455
// §5.3 requires, unless the case wants an unmasked one.
func (f frame) encode() []byte {
	b0 := f.op | f.rsv
	if f.fin {
		b0 |= 0x80
	}
	var mask byte
	if f.masked {
		mask = 0x80
	}
	n := len(f.payload)
	out := []byte{b0}
	switch {
	case n <= 125:
		out = append(out, mask|byte(n))
	case n <= 0xFFFF:
		out = append(out, mask|126)
		out = binary.BigEndian.AppendUint16(out, uint16(n))
	default:
		out = append(out, mask|127)
		out = binary.BigEndian.AppendUint64(out, uint64(n))
	}
	if !f.masked {
		return append(out, f.payload...)
	}
	var key [4]byte
	_, _ = rand.Read(key[:])
	out = append(out, key[:]...)
	for i, b := range f.payload {
		out = append(out, b^key[i%4])
	}
	return out
}

func (c *client) send(frames ...frame) error {
	var all []byte
	for _, f := range frames {
		all = append(all, f.encode()...)
	}
	_, err := c.conn.Write(all)
	if err != nil {
		return fmt.Errorf("the server stopped reading: %w", err)
	}
	return nil
}

// sendChunked writes bytes in pieces of the given sizes, pausing between
// them, so that a frame arrives over several TCP reads.
func (c *client) sendChunked(data []byte, sizes func(i int) int, pause time.Duration) error {
	for i := 0; len(data) > 0; i++ {
		n := min(max(sizes(i), 1), len(data))
		if _, err := c.conn.Write(data[:n]); err != nil {
			return fmt.Errorf("the server stopped reading: %w", err)
		}
		data = data[n:]
		time.Sleep(pause)
	}
	return nil
}

// read reads one frame from the server.
func (c *client) read(what string) (frame, error) {
	var f frame
	var hdr [2]byte
	if _, err := io.ReadFull(c.br, hdr[:]); err != nil {
		return f, c.silence(what, err)
	}
	f.fin, f.rsv, f.op = hdr[0]&0x80 != 0, hdr[0]&0x70, hdr[0]&0x0F
	f.masked = hdr[1]&0x80 != 0
	n := uint64(hdr[1] & 0x7F)
	switch n {
	case 126:
		var b [2]byte
		if _, err := io.ReadFull(c.br, b[:]); err != nil {
			return f, c.silence(what, err)
		}
		n = uint64(binary.BigEndian.Uint16(b[:]))
	case 127:
		var b [8]byte
		if _, err := io.ReadFull(c.br, b[:]); err != nil {
			return f, c.silence(what, err)
		}
		n = binary.BigEndian.Uint64(b[:])
	}
	if f.masked {
		return f, errors.New("the server sent a masked frame: RFC 6455 §5.1 says a server MUST NOT mask frames it sends")
	}
	if n > 64<<20 {
		return f, fmt.Errorf("the server sent a frame claiming %d bytes", n)
	}
	f.payload = make([]byte, n)
	if _, err := io.ReadFull(c.br, f.payload); err != nil {
		return f, c.silence(what, err)
	}
	return f, nil
}

// expectMessage reads one data message (the server may fragment it) and
// checks opcode and payload.
func (c *client) expectMessage(op byte, want []byte) error {
	var got []byte
	first := true
	for {
		f, err := c.read(fmt.Sprintf("the echo of a %d-byte message", len(want)))
		if err != nil {
			return err
		}
		switch {
		case f.op == opClose:
			code, reason := closeCode(f.payload)
			return fmt.Errorf("the server closed with %d %q instead of echoing the message", code, reason)
		case f.op >= opClose:
			continue // a control frame of the server's own: allowed between fragments
		case first && f.op != op:
			return fmt.Errorf("the echo has opcode %#x, want %#x", f.op, op)
		case !first && f.op != opCont:
			return fmt.Errorf("a fragmented echo continued with opcode %#x, want continuation (RFC 6455 §5.4)", f.op)
		}
		if f.rsv != 0 {
			return fmt.Errorf("the server set RSV bits %#x without an extension (RFC 6455 §5.2)", f.rsv)
		}
		first = false
		got = append(got, f.payload...)
		if f.fin {
			break
		}
	}
	if string(got) != string(want) {
		return fmt.Errorf("the echo differs: got %d bytes %s, want %d bytes %s", len(got), preview(got), len(want), preview(want))
	}
	return nil
}

// expectPong reads a pong and checks that it carries the ping's payload
// (RFC 6455 §5.5.3).
func (c *client) expectPong(want []byte) error {
	f, err := c.read("a pong")
	if err != nil {
		return err
	}
	if f.op != opPong {
		return fmt.Errorf("got a frame with opcode %#x where a pong was expected (RFC 6455 §5.5.2)", f.op)
	}
	if string(f.payload) != string(want) {
		return fmt.Errorf("the pong carries %s, want the ping's %s (RFC 6455 §5.5.3)", preview(f.payload), preview(want))
	}
	return nil
}

// expectClose reads until a close frame and checks its code, then checks
// that the server closes TCP. A server that drops TCP without a close
// frame fails: RFC 6455 §7.1.7 says to send the close frame first.
func (c *client) expectClose(codes ...int) error {
	for {
		f, err := c.read(fmt.Sprintf("a close frame with status %v", codes))
		if err != nil {
			return err
		}
		if f.op != opClose {
			if f.op == opPong || f.op == opPing {
				continue
			}
			return fmt.Errorf("got a frame with opcode %#x (%s) where a close frame with status %v was expected", f.op, preview(f.payload), codes)
		}
		code, reason := closeCode(f.payload)
		if len(f.payload) >= 2 && (code == 1005 || code == 1006 || code == 1015) {
			return fmt.Errorf("the server sent status %d in its close frame, which RFC 6455 §7.4.1 forbids: "+
				"it only tells an application what happened (an empty close answers an empty close)", code)
		}
		ok := false
		for _, want := range codes {
			ok = ok || code == want
		}
		if !ok {
			return fmt.Errorf("the server closed with status %d %q, want %v", code, reason, codes)
		}
		return c.expectTCPClose()
	}
}

// expectTCPClose checks that the server closes the connection after its
// close frame (RFC 6455 §7.1.1: the server closes the TCP connection first).
func (c *client) expectTCPClose() error {
	_ = c.conn.SetReadDeadline(time.Now().Add(Wait))
	n, err := c.br.Read(make([]byte, 1))
	if n > 0 {
		return errors.New("the server sent more bytes after its close frame (RFC 6455 §5.5.1)")
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return fmt.Errorf("the server sent its close frame but did not close the TCP connection within %v (RFC 6455 §7.1.1)", Wait)
	}
	return nil
}

// closeCode reads a close payload; 1005 stands for "no status" as in §7.1.5.
func closeCode(p []byte) (int, string) {
	if len(p) < 2 {
		return 1005, ""
	}
	return int(binary.BigEndian.Uint16(p)), string(p[2:])
}

func preview(b []byte) string {
	if len(b) <= 16 {
		return fmt.Sprintf("%q", b)
	}
	return fmt.Sprintf("%q…", b[:16])
}
