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
