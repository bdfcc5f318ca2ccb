package load

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// event is the chat's JSON event (solutions/10-chat, Event).
type event struct {
	Type string `json:"type"`
	Nick string `json:"nick,omitempty"`
	Text string `json:"text,omitempty"`
}

// client is one connection of the run. A normal client reads on one
// goroutine and says its messages on another; only the reader touches
// lastSeq.
type client struct {
	r    *run
	id   int
	conn *websocket.Conn

	lastSeq    []int32      // per normal sender, the highest sequence number heard; nil if not a normal client
	received   atomic.Int64 // normal messages heard, each once and in order
	twice      atomic.Int64 // normal messages heard again or out of order
	floodHeard atomic.Int64
	probed     atomic.Bool // heard the warm-up probe
	sent       atomic.Int64
	closing    atomic.Bool  // we started the close: what ends the read loop is not the server's doing
	goneAt     atomic.Int64 // a staller: when the server let it go, since the start; 0 if not seen

	ended   chan struct{} // the read loop has returned; end and endedAt are set
	end     string        // how the server ended the connection, "" if it did not
	endedAt time.Duration // since the start of the sending
}

// dial opens the client's WebSocket from source (nil: the system's
// choice) and joins the chat as nick.
func (r *run) dial(ctx context.Context, id int, nick string, source net.IP) (*client, error) {
	nd := &net.Dialer{Timeout: r.cfg.patience()}
	if source != nil {
		nd.LocalAddr = &net.TCPAddr{IP: source}
	}
	d := websocket.Dialer{
		HandshakeTimeout: r.cfg.patience(),
		NetDialContext:   nd.DialContext,
		// Loopback only, and the workshop's chat is self-signed.
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, //nolint:gosec
	}
	conn, resp, err := d.DialContext(ctx, r.url, nil)
	if err != nil {
		if resp != nil {
			return nil, fmt.Errorf("the opening handshake got %s, not 101: %w", resp.Status, err)
		}
		return nil, err
	}
	c := &client{r: r, id: id, conn: conn, ended: make(chan struct{})}
	if err := c.write(event{Type: "join", Nick: nick}); err != nil {
		conn.Close()
		return nil, fmt.Errorf("sending the join: %w", err)
	}
	return c, nil
}

func (c *client) write(ev event) error {
	data, _ := json.Marshal(ev)
	_ = c.conn.SetWriteDeadline(time.Now().Add(c.r.cfg.patience()))
	return c.conn.WriteMessage(websocket.TextMessage, data)
}

// read hears everything until the connection ends; joined hears nil at
// the welcome, or why none came. A client that hears nothing for idle has
// lost its server.
func (c *client) read(joined chan<- error) {
	defer close(c.ended)
	welcomed := false
	for {
		_ = c.conn.SetReadDeadline(time.Now().Add(c.r.idle))
		_, data, err := c.conn.ReadMessage()
		if err != nil {
			c.endedAt = time.Since(c.r.start)
			if !c.closing.Load() {
				c.end = describeEnd(err)
			}
			if !welcomed {
				joined <- fmt.Errorf("no welcome: %s", describeEnd(err))
			}
			return
		}
		if text, ok := quickSay(data); ok && welcomed {
			c.hear(text)
			continue
		}
		var ev event
		if json.Unmarshal(data, &ev) != nil {
			continue
		}
		if ev.Type == "welcome" && !welcomed {
			welcomed = true
			joined <- nil
		}
		if ev.Type == "say" {
			c.hear(ev.Text)
		}
	}
}

// quickSay reads the text of a say event as the workshop's chat writes it,
// {"type":"say","nick":…,"text":"…"}, without decoding the JSON: a run of
// 300 clients reads 90 000 of them a second, on the machine that runs the
// server. Anything else (another layout, an escape in the text) is left to
// encoding/json.
func quickSay(data []byte) (string, bool) {
	const start, field = `{"type":"say",`, `"text":"`
	if !bytes.HasPrefix(data, []byte(start)) {
		return "", false
	}
	i := bytes.Index(data, []byte(field))
	if i < 0 {
		return "", false
	}
	text := data[i+len(field):]
	j := bytes.IndexByte(text, '"')
	if j < 0 || bytes.IndexByte(text[:j], '\\') >= 0 || string(text[j:]) != `"}` {
		return "", false
	}
	return string(text[:j]), true
}

// hear counts one say: "load RUN SENDER SEQ NANOS" from a normal client,
// "probe RUN" from the warm-up, "flood RUN …" from a flooder. Says of
// anyone else (people in the chat, another run) are not counted.
func (c *client) hear(text string) {
	f := strings.Fields(text)
	if len(f) < 2 || f[1] != c.r.id {
		return
	}
	switch f[0] {
	case "probe":
		c.probed.Store(true)
	case "flood":
		c.floodHeard.Add(1)
	case "load":
		if len(f) != 5 || c.lastSeq == nil {
			return
		}
		sender, err1 := strconv.Atoi(f[2])
		seq, err2 := strconv.ParseInt(f[3], 10, 32)
		sentAt, err3 := strconv.ParseInt(f[4], 10, 64)
		if err1 != nil || err2 != nil || err3 != nil || sender < 0 || sender >= len(c.lastSeq) {
			return
		}
		if int32(seq) <= c.lastSeq[sender] {
			c.twice.Add(1)
			return
		}
		c.lastSeq[sender] = int32(seq)
		c.r.latency.add(time.Since(c.r.start) - time.Duration(sentAt))
		c.received.Add(1)
	}
}

// say sends Rate numbered messages a second until until, starting at
// offset so that the clients do not all speak at once.
func (c *client) say(ctx context.Context, until time.Time, offset time.Duration) {
	every := time.Duration(float64(time.Second) / c.r.cfg.Rate)
	next := time.Now().Add(offset)
	for seq := 1; next.Before(until); seq++ {
		select {
		case <-ctx.Done():
			return
		case <-c.ended:
			return
		case <-time.After(time.Until(next)):
		}
		text := fmt.Sprintf("load %s %d %d %d", c.r.id, c.id, seq, time.Since(c.r.start))
		if c.write(event{Type: "say", Text: text}) != nil {
			return
		}
		c.sent.Add(1)
		// Behind time (a slow server, a busy machine), skip the missed
		// beats rather than burst to catch up, as a time.Ticker does: a
		// burst would trip a server's rate limit.
		if next = next.Add(every); time.Until(next) < -every {
			next = time.Now()
		}
	}
}

// flood sends 4 KiB says as fast as the server takes them, until until.
func (c *client) flood(ctx context.Context, until time.Time) {
	pad := strings.Repeat("x", floodSize)
	for seq := 1; time.Now().Before(until) && ctx.Err() == nil; seq++ {
		select {
		case <-c.ended:
			return
		default:
		}
		text := fmt.Sprintf("flood %s %d %s", c.r.id, seq, pad)[:floodSize]
		if c.write(event{Type: "say", Text: text}) != nil {
			return
		}
		c.sent.Add(1)
	}
}

// floodSize keeps a flood say, with its JSON around it, under the chat's
// 4 KiB message limit (MaxEventSize): the flooder is judged on its rate,
// not its size.
const floodSize = 4000

// close says goodbye with 1000 and waits, within patience, for the
// server's close to end the read loop.
func (c *client) close() {
	c.closing.Store(true)
	msg := websocket.FormatCloseMessage(websocket.CloseNormalClosure, "load report done")
	_ = c.conn.WriteControl(websocket.CloseMessage, msg, time.Now().Add(c.r.cfg.patience()))
	select {
	case <-c.ended:
	case <-time.After(c.r.cfg.patience()):
	}
	_ = c.conn.Close()
	<-c.ended // the read fails at once on a closed connection
}

// drainStalled reads, at the end, what a client that never read was sent:
// a close frame behind it says the server let it go.
func (c *client) drainStalled() string {
	end := time.Now().Add(c.r.cfg.patience())
	for {
		wait := min(time.Until(end), time.Second)
		// The backlog comes at once; a second of silence after it, and the
		// server is not closing this client.
		_ = c.conn.SetReadDeadline(time.Now().Add(wait))
		if _, _, err := c.conn.ReadMessage(); err != nil {
			_ = c.conn.Close()
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				return "still open at the end: the server kept it"
			}
			return "closed by the server: " + describeEnd(err)
		}
	}
}

// describeEnd says how a connection ended, with its close code.
func describeEnd(err error) string {
	var ce *websocket.CloseError
	var ne net.Error
	switch {
	case errors.As(err, &ce) && ce.Code == websocket.CloseAbnormalClosure:
	case errors.As(err, &ce) && ce.Text == "":
		return strconv.Itoa(ce.Code)
	case errors.As(err, &ce):
		return fmt.Sprintf("%d %q", ce.Code, ce.Text)
	case errors.As(err, &ne) && ne.Timeout():
		return "silent: nothing heard for a while"
	}
	return "1006 (no close frame)"
}
