package attack

import (
	"bufio"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/wsfromtcp/workshop/tools/wstest"
)

// Opcodes and a status code of RFC 6455 §5.2 and §7.4.1.
const (
	opText   = 0x1
	opBinary = 0x2
	opClose  = 0x8
	opPing   = 0x9
	opPong   = 0xA

	policyViolation = 1008
)

// client is one raw WebSocket client connection, spoken by hand so that an
// attack can do what a well-behaved client never does.
type client struct {
	conn net.Conn
	br   *bufio.Reader
	// polite clients answer a ping with a pong (RFC 6455 §5.5.2) while
	// they watch: the well-behaved ones beside an attacker.
	polite bool
}

// dial connects to the server; the connection is closed by p.closeAll and
// may never outlive until.
func (c Config) dial(p *pool, until time.Time) (*client, error) {
	conn, err := net.DialTimeout("tcp", c.Addr, c.Drain+time.Second)
	if err != nil {
		return nil, fmt.Errorf("could not connect to %s: %w", c.Addr, err)
	}
	p.add(conn)
	_ = conn.SetDeadline(until)
	return &client{conn: conn, br: bufio.NewReader(conn)}, nil
}

// head is an opening handshake request (RFC 6455 §4.1) with a fresh key,
// and extra header lines (each ending in \r\n) before the empty line.
func (c Config) head(extra string) string {
	key := make([]byte, 16)
	_, _ = rand.Read(key)
	return fmt.Sprintf("GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n%s\r\n",
		c.Path, c.Addr, base64.StdEncoding.EncodeToString(key), extra)
}

// open dials and sends the opening handshake, returning the status the
// server answered: 101 when the connection is now a WebSocket.
func (c Config) open(p *pool, until time.Time, extra string) (*client, int, error) {
	cl, err := c.dial(p, until)
	if err != nil {
		return nil, 0, err
	}
	if _, err := io.WriteString(cl.conn, c.head(extra)); err != nil {
		return nil, 0, fmt.Errorf("sending the handshake: %w", err)
	}
	resp, err := http.ReadResponse(cl.br, nil)
	if err != nil {
		return nil, 0, fmt.Errorf("reading the handshake's answer: %w", err)
	}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		resp.Body.Close()
	}
	return cl, resp.StatusCode, nil
}

// upgrades opens n WebSockets and returns those the server upgraded, and
// how many it did not (an answer other than 101, as at a cap on
// connections, or a connection that failed). An error comes only when
// nothing got through at all: then the server is not there.
func (c Config) upgrades(p *pool, n int, until time.Time) (opened []*client, refused int, err error) {
	for range n {
		cl, status, err := c.open(p, until, "")
		switch {
		case err != nil && len(opened) == 0 && refused == 0:
			return nil, 0, err
		case err != nil || status != http.StatusSwitchingProtocols:
			refused++
		default:
			opened = append(opened, cl)
		}
	}
	return opened, refused, nil
}

// Event is a chat event of step 10 (solutions/10-chat/room.go).
type event struct {
	Type string `json:"type"`
	Nick string `json:"nick,omitempty"`
	Text string `json:"text,omitempty"`
}

// joined opens a WebSocket, joins the chat as nick and reads the welcome.
func (c Config) joined(p *pool, until time.Time, nick string) (*client, error) {
	cl, status, err := c.open(p, until, "")
	if err != nil {
		return nil, err
	}
	if status != http.StatusSwitchingProtocols {
		return nil, fmt.Errorf("%s: the server answered %d to a plain handshake, not 101 (a cap on connections per address? try a smaller K)", nick, status)
	}
	if err := cl.send(opText, mustJSON(event{Type: "join", Nick: nick})); err != nil {
		return nil, fmt.Errorf("sending the join: %w", err)
	}
	op, data, err := cl.read()
	var ev event
	if err != nil || op != opText || json.Unmarshal(data, &ev) != nil || ev.Type != "welcome" {
		return nil, fmt.Errorf("%s joined but got no welcome (%v): is this the chat of step 10?", nick, err)
	}
	cl.polite = true
	return cl, nil
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// send writes one masked frame with FIN set (RFC 6455 §5.2, §5.3).
func (cl *client) send(op byte, payload []byte) error {
	_, err := cl.conn.Write(frame(op, payload))
	return err
}

// frame builds a masked client frame; header builds its head alone, for a
// payload of n bytes.
func frame(op byte, payload []byte) []byte {
	b := header(op, uint64(len(payload)))
	key := b[len(b)-4:]
	for i, c := range payload {
		b = append(b, c^key[i%4])
	}
	return b
}

func header(op byte, n uint64) []byte {
	b := []byte{0x80 | op}
	switch {
	case n < 126:
		b = append(b, 0x80|byte(n))
	case n <= 0xffff:
		b = binary.BigEndian.AppendUint16(append(b, 0x80|126), uint16(n))
	default:
		b = binary.BigEndian.AppendUint64(append(b, 0x80|127), n)
	}
	key := make([]byte, 4)
	_, _ = rand.Read(key)
	return append(b, key...)
}

// maxRead is the largest server frame the kit reads: the chat's events are
// small, and a server must not make the attacker allocate either.
const maxRead = 1 << 20

// read reads one server frame (unmasked, RFC 6455 §5.1).
func (cl *client) read() (op byte, payload []byte, err error) {
	return wstest.ReadServerFrame(cl.br, maxRead)
}

// ending is how a connection ended, as the client saw it.
type ending struct {
	closed bool // the server closed the connection, or sent a close frame
	code   int  // the close frame's status code; 0 for none
}

func (e ending) String() string {
	switch {
	case !e.closed:
		return "kept"
	case e.code == 0:
		return "closed without a close frame"
	}
	return fmt.Sprintf("closed with %d", e.code)
}

// watch reads (and throws away) what the server sends until it closes the
// connection or until deadline, whichever comes first; a polite client
// answers pings.
func (cl *client) watch(deadline time.Time) ending {
	_ = cl.conn.SetReadDeadline(deadline)
	var e ending
	for {
		op, payload, err := cl.read()
		switch {
		case errors.Is(err, os.ErrDeadlineExceeded):
			return e
		case err != nil:
			e.closed = true
			return e
		case op == opPing && cl.polite:
			_ = cl.send(opPong, payload)
		case op == opClose && !e.closed:
			e.closed = true
			if len(payload) >= 2 {
				e.code = int(binary.BigEndian.Uint16(payload))
			}
			// Wait a little for the TCP close that follows; the frame
			// already says enough.
			_ = cl.conn.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
		}
	}
}
