package hardening

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"strings"
	"time"

	accept "github.com/wsfromtcp/workshop/solutions/01-accept"
	request "github.com/wsfromtcp/workshop/solutions/02-request"
	handshake "github.com/wsfromtcp/workshop/solutions/03-handshake"
	control "github.com/wsfromtcp/workshop/solutions/08-control"
	hub "github.com/wsfromtcp/workshop/solutions/09-hub"
	chat "github.com/wsfromtcp/workshop/solutions/10-chat"
	"github.com/wsfromtcp/workshop/tools/chatkit"
)

// Server is the step 10 chat with the limits of Options.
type Server struct {
	opts Options
	tcp  *accept.Server
	hub  *hub.Hub
	room *chat.Room
	caps *Caps
	tls  *tls.Config
}

// Listen serves the hardened chat on addr: GET / is the page, GET /ws the
// WebSocket endpoint, as in step 10.
func Listen(addr string, opts Options) (*Server, error) {
	opts = opts.withDefaults()
	h := hub.New(opts.QueueLen)
	go h.Run()
	s := &Server{opts: opts, hub: h, room: chat.NewRoom(h), caps: NewCaps(opts.MaxConns, opts.MaxConnsPerAddr)}
	if opts.TLS != nil {
		s.tls = opts.TLS.Clone()
		s.tls.MinVersion = max(s.tls.MinVersion, tls.VersionTLS12)
	}
	tcp, err := accept.Listen(addr, s.serveConn)
	if err != nil {
		h.Stop()
		return nil, err
	}
	s.tcp = tcp
	return s, nil
}

// Addr is the address the server listens on.
func (s *Server) Addr() net.Addr { return s.tcp.Addr() }

// Close says goodbye to the room with 1001 (RFC 6455 §7.4.1), giving it
// ShutdownGrace, then closes every connection that is still open, stuck
// writers included, and waits for them to end.
func (s *Server) Close() error {
	stopped := make(chan struct{})
	go func() {
		s.hub.Stop()
		close(stopped)
	}()
	select {
	case <-stopped:
	case <-time.After(s.opts.ShutdownGrace):
	}
	// RFC 6455 §7.1.1 (R-7.1.1-2): stuck connections are closed by any means.
	err := s.tcp.Close() // ends every read and write still blocked
	<-stopped
	return err
}

// serveConn answers one connection, within the caps.
func (s *Server) serveConn(conn net.Conn) {
	ip := remoteIP(conn)
	if !s.caps.Acquire(ip) {
		// RFC 6455 §4.2.2 (R-4.2.2-3): a connection the server does not accept gets an HTTP error.
		refuse(conn, conn, 503, "too many connections: try again later")
		return
	}
	defer s.caps.Release(ip)

	_ = conn.SetDeadline(time.Now().Add(handshake.Timeout))
	if s.tls != nil {
		// RFC 6455 §10.6 (R-10.6-1): TLS, and only its recent versions.
		tc, ok := s.startTLS(conn)
		if !ok {
			return
		}
		conn = tc
	}
	g := newGuard(conn, NewBucket(s.opts.Rate, s.opts.Burst), s.opts.WriteTimeout)
	line := &firstLine{r: g}
	br := bufio.NewReader(line)
	r, err := request.ReadRequest(br)
	switch {
	case errors.Is(err, io.EOF):
		return
	case errors.Is(err, request.ErrHeadTooLarge) && !line.ended:
		// Step 2's limit is on the whole head; a head that ran over it
		// before its first line ended has a request line over the limit,
		// which in practice is its target (RFC 9110 §15.5.15).
		// RFC 6455 §10.7 (R-10.7-4): invalid data in the handshake gets an HTTP status.
		refuse(conn, br, 414, "the request-target is too long")
		return
	case errors.Is(err, request.ErrHeadTooLarge):
		// RFC 6455 §10.7 (R-10.7-4): invalid data in the handshake gets an HTTP status.
		refuse(conn, br, 431, err.Error())
		return
	case err != nil:
		refuse(conn, br, 400, err.Error())
		return
	}
	path, _, _ := strings.Cut(r.Target, "?")
	switch {
	case path == "/ws":
		s.upgrade(g, br, r)
	case r.Method != "GET":
		_ = chat.WriteResponse(conn, 405, "text/plain; charset=utf-8", []byte("only GET is served here\n"))
	case path == "/":
		_ = chat.WriteResponse(conn, 200, "text/html; charset=utf-8", chatkit.Page())
	default:
		_ = chat.WriteResponse(conn, 404, "text/plain; charset=utf-8", []byte("not found: the chat is at /\n"))
	}
}

// upgrade takes the opening handshake, then serves the room under watch.
func (s *Server) upgrade(g *guard, br *bufio.Reader, r *request.Request) {
	key, err := handshake.Check(r)
	if err != nil {
		_ = handshake.WriteReject(g.Conn, err)
		return
	}
	if err := CheckOrigin(r, s.opts.AllowedOrigins); err != nil {
		// RFC 6455 §4.2.2, §10.2 (R-4.2.2-3, R-10.2-2): 403 Forbidden for an unacceptable origin.
		refuse(g.Conn, br, 403, err.Error())
		return
	}
	if handshake.WriteAccept(g.Conn, key) != nil {
		return
	}
	_ = g.SetDeadline(time.Time{})
	buffered, _ := br.Peek(br.Buffered())
	g.startCounting(buffered)

	c := control.NewConn(g, br)
	done := make(chan struct{})
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		s.watch(g, c, done)
	}()
	s.room.Handle(c)
	close(done)
	<-watched
}

// startTLS takes the TLS handshake. A client that speaks plain HTTP to the
// TLS port gets a plain 400 saying so: a TLS connection starts with a
// handshake record, byte 0x16 (RFC 8446 §5.1), an HTTP request with a
// letter.
func (s *Server) startTLS(conn net.Conn) (net.Conn, bool) {
	br := bufio.NewReader(conn)
	first, err := br.Peek(1)
	if err != nil {
		return nil, false
	}
	if first[0] != 0x16 {
		refuse(conn, br, 400, "this port speaks TLS: use https:// or wss://")
		return nil, false
	}
	tc := tls.Server(&peeked{Conn: conn, r: br}, s.tls)
	if tc.Handshake() != nil {
		return nil, false
	}
	return tc, true
}

// peeked is a connection whose first bytes were read into r.
type peeked struct {
	net.Conn
	r *bufio.Reader
}

func (p *peeked) Read(b []byte) (int, error) { return p.r.Read(b) }

// remoteIP is the IP address of the client, without its port.
func remoteIP(conn net.Conn) string {
	host, _, err := net.SplitHostPort(conn.RemoteAddr().String())
	if err != nil {
		return conn.RemoteAddr().String()
	}
	return host
}

// firstLine passes reads through and notes when the request line has
// ended, so that serveConn can tell a request line over step 2's limit
// (414) from a head of too many fields (431).
type firstLine struct {
	r     io.Reader
	ended bool
}

func (l *firstLine) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	if !l.ended && bytes.IndexByte(p[:n], '\n') >= 0 {
		l.ended = true
	}
	return n, err
}
