// Command gorilla times gorilla/websocket's masking for make bench
// (package masks has the flags). Its mask function is unexported, so it is
// measured through the exported API, by difference: the time a server
// Conn takes to read a masked message of the size (copy and unmask), less
// the time a client Conn takes to read the same message unmasked (copy
// only). Both read from memory, frames replayed for ever, so the network
// plays no part. No code of gorilla's is copied.
package main

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
	"net/http"
	"strings"
	"time"

	"github.com/gorilla/websocket"
	"github.com/wsfromtcp/workshop/tools/bench/internal/masks"
)

func main() { masks.Main(timer) }

func timer(size int, d time.Duration) (float64, error) {
	server, err := serverConn(binaryFrame(size, true))
	if err != nil {
		return 0, err
	}
	client, err := clientConn(binaryFrame(size, false))
	if err != nil {
		return 0, err
	}
	buf := make([]byte, size)
	var readErr error
	read := func(c *websocket.Conn) func() {
		return func() {
			_, r, err := c.NextReader()
			if err == nil {
				_, err = io.ReadFull(r, buf)
			}
			if err != nil && readErr == nil {
				readErr = err
			}
		}
	}
	masked := masks.Best(d/2, read(server))
	plain := masks.Best(d/2, read(client))
	if readErr != nil {
		return 0, readErr
	}
	if masked <= plain {
		return 0, fmt.Errorf("reading masked took %.0f ns, unmasked %.0f: too noisy to tell the masking's share", masked, plain)
	}
	return masked - plain, nil
}

// binaryFrame is one final binary frame of size random bytes, masked (as
// a client sends it) or not (as a server does), RFC 6455 §5.2.
func binaryFrame(size int, masked bool) []byte {
	f := []byte{0x82, 127, 0, 0, 0, 0, 0, 0, 0, 0}
	binary.BigEndian.PutUint64(f[2:], uint64(size))
	if masked {
		f[1] |= 0x80
		f = append(f, 0x37, 0xfa, 0x21, 0x3d)
	}
	payload := make([]byte, size)
	_, _ = rand.Read(payload)
	return append(f, payload...)
}

// serverConn is a gorilla server Conn upgraded from a made-up request, on
// a replay of frame.
func serverConn(frame []byte) (*websocket.Conn, error) {
	req := &http.Request{Method: http.MethodGet, Header: http.Header{
		"Connection":            {"Upgrade"},
		"Upgrade":               {"websocket"},
		"Sec-Websocket-Version": {"13"},
		"Sec-Websocket-Key":     {"dGhlIHNhbXBsZSBub25jZQ=="},
	}}
	return (&websocket.Upgrader{}).Upgrade(&hijacker{conn: &replay{frame: frame}, header: http.Header{}}, req, nil)
}

// clientConn is a gorilla client Conn whose handshake is answered in
// memory, on a replay of frame.
func clientConn(frame []byte) (*websocket.Conn, error) {
	conn := &replay{frame: frame, answer: true}
	d := websocket.Dialer{NetDial: func(string, string) (net.Conn, error) { return conn, nil }}
	c, _, err := d.Dial("ws://127.0.0.1/", nil)
	return c, err
}

// replay is a net.Conn in memory: its reads give pre, then frame again and
// again; its writes go nowhere, but with answer set the first request
// written is answered (in pre) with a 101 response, RFC 6455 §4.2.2.
type replay struct {
	pre, frame []byte
	off        int
	answer     bool
	req        strings.Builder
}

func (c *replay) Read(p []byte) (int, error) {
	if len(c.pre) > 0 {
		n := copy(p, c.pre)
		c.pre = c.pre[n:]
		return n, nil
	}
	n := 0
	for n < len(p) {
		k := copy(p[n:], c.frame[c.off:])
		n += k
		c.off = (c.off + k) % len(c.frame)
	}
	return n, nil
}

func (c *replay) Write(p []byte) (int, error) {
	if !c.answer {
		return len(p), nil
	}
	c.req.Write(p)
	head, _, done := strings.Cut(c.req.String(), "\r\n\r\n")
	if !done {
		return len(p), nil
	}
	c.answer = false
	_, key, _ := strings.Cut(head, "Sec-WebSocket-Key: ")
	key, _, _ = strings.Cut(key, "\r\n")
	sum := sha1.Sum([]byte(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	c.pre = []byte("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Accept: " + base64.StdEncoding.EncodeToString(sum[:]) + "\r\n\r\n")
	return len(p), nil
}

func (c *replay) Close() error                     { return nil }
func (c *replay) LocalAddr() net.Addr              { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)} }
func (c *replay) RemoteAddr() net.Addr             { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)} }
func (c *replay) SetDeadline(time.Time) error      { return nil }
func (c *replay) SetReadDeadline(time.Time) error  { return nil }
func (c *replay) SetWriteDeadline(time.Time) error { return nil }

// hijacker is the http.ResponseWriter of the made-up request: the upgrade
// takes its connection over.
type hijacker struct {
	conn   net.Conn
	header http.Header
}

func (h *hijacker) Header() http.Header { return h.header }
func (h *hijacker) Write(p []byte) (int, error) {
	return 0, errors.New("hijacker: no body to write to")
}
func (h *hijacker) WriteHeader(int) {}

func (h *hijacker) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return h.conn, bufio.NewReadWriter(bufio.NewReader(h.conn), bufio.NewWriter(h.conn)), nil
}
