package dashboard

import (
	"bufio"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	accept "github.com/wsfromtcp/workshop/solutions/01-accept"
	request "github.com/wsfromtcp/workshop/solutions/02-request"
	handshake "github.com/wsfromtcp/workshop/solutions/03-handshake"
	frame "github.com/wsfromtcp/workshop/solutions/04-frame-decode"
	control "github.com/wsfromtcp/workshop/solutions/08-control"
	hub "github.com/wsfromtcp/workshop/solutions/09-hub"
	chat "github.com/wsfromtcp/workshop/solutions/10-chat"
	"github.com/wsfromtcp/workshop/tools/course"
)

// Limits on connections: how many may be open at once, how long a learner's
// connection may stay quiet (a checker sends its event at once), and how
// many snapshots may wait for a page before the hub drops it.
const (
	MaxConns     = 512
	learnerIdle  = 15 * time.Second
	viewerQueue  = 16
	coalesce     = 200 * time.Millisecond // at most five snapshots a second, however many events
	refreshEvery = 5 * time.Second        // times on the page go on even when nothing happens
)

// Config is what a dashboard needs: the join code learners give, and the
// token that lets a page on another machine post announcements.
type Config struct {
	Code   string
	Token  string
	Course course.Course
}

// Server is the dashboard: the page, the learners' endpoint and the pages'
// live updates, on one port.
type Server struct {
	cfg   Config
	room  *Room
	hub   *hub.Hub
	tcp   *accept.Server
	open  atomic.Int64
	stop  chan struct{}
	once  sync.Once
	wg    sync.WaitGroup
	steps []stepInfo
}

// Listen starts a dashboard on addr.
func Listen(addr string, cfg Config) (*Server, error) {
	h := hub.New(viewerQueue)
	go h.Run()
	s := &Server{cfg: cfg, room: NewRoom(cfg.Code, cfg.Course), hub: h, stop: make(chan struct{})}
	for _, st := range cfg.Course.Steps {
		s.steps = append(s.steps, stepInfo{Number: st.Number, Name: st.Package, Minutes: st.Minutes})
	}
	tcp, err := accept.Listen(addr, s.serveConn)
	if err != nil {
		h.Stop()
		return nil, err
	}
	s.tcp = tcp
	s.wg.Add(1)
	go s.broadcast()
	return s, nil
}

// Addr is the address the dashboard listens on.
func (s *Server) Addr() net.Addr { return s.tcp.Addr() }

// Room is the classroom's state, for export.
func (s *Server) Room() *Room { return s.room }

// Close closes every page with 1001, going away, and every connection, and
// waits for them to end. Closing again does nothing.
func (s *Server) Close() error {
	var err error
	s.once.Do(func() {
		close(s.stop)
		s.wg.Wait()
		s.hub.Stop()
		err = s.tcp.Close()
	})
	return err
}

// broadcast sends every page a snapshot after each change, at most one
// every coalesce, and every refreshEvery regardless.
func (s *Server) broadcast() {
	defer s.wg.Done()
	tick := time.NewTicker(refreshEvery)
	defer tick.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-s.room.changed:
		case <-tick.C:
		}
		s.hub.Broadcast(nil, frame.OpText, s.room.Snapshot(time.Now()))
		select {
		case <-s.stop:
			return
		case <-time.After(coalesce):
		}
	}
}

func (s *Server) serveConn(conn net.Conn) {
	if s.open.Add(1) > MaxConns {
		s.open.Add(-1)
		return // closed at once: the server is busy enough
	}
	defer s.open.Add(-1)
	_ = conn.SetDeadline(time.Now().Add(handshake.Timeout))
	br := bufio.NewReader(conn)
	r, err := request.ReadRequest(br)
	if errors.Is(err, io.EOF) {
		return
	}
	if err != nil {
		_ = chat.WriteResponse(conn, 400, "text/plain; charset=utf-8", []byte(err.Error()+"\n"))
		return
	}
	path, rawQuery, _ := strings.Cut(r.Target, "?")
	query, _ := url.ParseQuery(rawQuery)
	origin := r.Header.Get("Origin")
	switch {
	case path == "/ws" && origin != "":
		// The checker sends no Origin; a browser always does. No web page
		// may post events.
		_ = chat.WriteResponse(conn, 400, "text/plain; charset=utf-8", []byte("learners' checkers only\n"))
	case path == "/live" && origin != "" && origin != "http://"+r.Header.Get("Host"):
		// Another site's page must not read the room, nor post in it.
		_ = chat.WriteResponse(conn, 400, "text/plain; charset=utf-8", []byte("the dashboard's own page only\n"))
	case path == "/ws" || path == "/live":
		key, err := handshake.Check(r)
		if err != nil {
			_ = handshake.WriteReject(conn, err)
			return
		}
		if handshake.WriteAccept(conn, key) != nil {
			return
		}
		_ = conn.SetDeadline(time.Time{})
		c := control.NewConn(conn, br)
		if path == "/ws" {
			s.learner(conn, c)
		} else {
			admin := sameMachine(conn) && byAddress(r.Header.Get("Host")) || s.tokenOK(query.Get("admin"))
			s.viewer(c, admin)
		}
	case r.Method != "GET":
		_ = chat.WriteResponse(conn, 405, "text/plain; charset=utf-8", []byte("only GET is served here\n"))
	case path == "/":
		_ = chat.WriteResponse(conn, 200, "text/html; charset=utf-8", page)
	default:
		_ = chat.WriteResponse(conn, 404, "text/plain; charset=utf-8", []byte("not found: the dashboard is at /\n"))
	}
}

// learner serves a learner's checker: one event after another, each
// answered with a Reply. An event that is not one, or a wrong code, closes
// the connection with 1008; events over the connection's rate are
// answered with an error and otherwise ignored.
func (s *Server) learner(conn net.Conn, c *control.Conn) {
	c.SetMaxMessageSize(MaxEventSize)
	limit := newBucket(time.Now())
	for {
		_ = conn.SetReadDeadline(time.Now().Add(learnerIdle))
		op, data, err := c.ReadMessage()
		if err != nil {
			return // ended, broken, quiet too long, or too big (1009)
		}
		now := time.Now()
		var reply Reply
		ev, err := ParseEvent(data, len(s.cfg.Course.Steps))
		switch {
		case op != frame.OpText:
			reply.Error = "events are JSON text messages"
		case err != nil:
			reply.Error = err.Error()
		case !limit.allow(now):
			reply.Error = "too many events: the dashboard takes a few a second"
		default:
			reply = s.room.Receive(ev, now)
		}
		if c.WriteMessage(frame.OpText, encode(reply)) != nil {
			return
		}
		if op != frame.OpText || err != nil || strings.HasPrefix(reply.Error, "wrong class code") {
			_ = c.Close(control.StatusPolicyViolation, "")
			return
		}
	}
}

// stepInfo is what a page needs of a step.
type stepInfo struct {
	Number  int    `json:"number"`
	Name    string `json:"name"`
	Minutes int    `json:"minutes"`
}

// hello is the first message to a page.
type hello struct {
	Type  string     `json:"type"` // "hello"
	Code  string     `json:"code"`
	Admin bool       `json:"admin"` // this page may post announcements
	Steps []stepInfo `json:"steps"`
}

// viewer serves a dashboard page: hello, a snapshot, then every snapshot
// the hub carries. Only an admin page may send anything: an announcement,
// {"type":"announce","text":"…"}.
func (s *Server) viewer(c *control.Conn, admin bool) {
	c.SetMaxMessageSize(MaxEventSize)
	if c.WriteMessage(frame.OpText, encode(hello{Type: "hello", Code: s.cfg.Code, Admin: admin, Steps: s.steps})) != nil ||
		c.WriteMessage(frame.OpText, s.room.Snapshot(time.Now())) != nil {
		return
	}
	client := s.hub.Join(c)
	if client == nil {
		return
	}
	defer s.hub.Leave(client)
	for {
		op, data, err := c.ReadMessage()
		if err != nil {
			return
		}
		var m struct{ Type, Text string }
		if !admin || op != frame.OpText || json.Unmarshal(data, &m) != nil || m.Type != "announce" {
			_ = c.Close(control.StatusPolicyViolation, "only the instructor's page posts announcements")
			return
		}
		text := strings.TrimSpace(m.Text)
		if utf8.RuneCountInString(text) > MaxAnnouncementRunes || !printable(text) {
			_ = c.Close(control.StatusPolicyViolation, "an announcement is one line of printable text")
			return
		}
		s.room.Announce(text, time.Now())
	}
}

// tokenOK reports whether token is the dashboard's admin token.
func (s *Server) tokenOK(token string) bool {
	return s.cfg.Token != "" && subtle.ConstantTimeCompare([]byte(token), []byte(s.cfg.Token)) == 1
}

// sameMachine reports whether the connection comes from the machine the
// dashboard runs on: its peer's address is one of ours.
func sameMachine(conn net.Conn) bool {
	local, ok1 := conn.LocalAddr().(*net.TCPAddr)
	remote, ok2 := conn.RemoteAddr().(*net.TCPAddr)
	return trustThisMachine && ok1 && ok2 && (remote.IP.IsLoopback() || remote.IP.Equal(local.IP))
}

// byAddress reports whether a page was opened by the dashboard's address
// (an IP address, or localhost) rather than by a name: a web site whose
// name an attacker points at 127.0.0.1 (DNS rebinding) passes the Origin
// check, since its page and its WebSocket share the name, but not this.
func byAddress(host string) bool {
	h, _, err := net.SplitHostPort(host)
	if err != nil {
		h = host
	}
	return h == "localhost" || net.ParseIP(strings.Trim(h, "[]")) != nil
}

// encode marshals a message of the dashboard's own; they always marshal.
func encode(v any) []byte {
	data, _ := json.Marshal(v)
	return data
}
