// Package chat is step 10 of the workshop, the capstone: a chat server that
// browsers use. One port serves the chat page over plain HTTP, answered by
// hand, and upgrades GET /ws to WebSocket; the step 9 hub carries every
// message to everyone in the room. With a TLS configuration the same server
// speaks https:// and wss://.
//
// Read RFC 6455 §1.7 Relationship to TCP and HTTP
// (https://www.rfc-editor.org/rfc/rfc6455#section-1.7), §4.1 on wss:// and
// TLS (https://www.rfc-editor.org/rfc/rfc6455#section-4.1), §10.6
// Connection Confidentiality and Integrity
// (https://www.rfc-editor.org/rfc/rfc6455#section-10.6), and RFC 9112 §4
// and §6 for the HTTP response (https://www.rfc-editor.org/rfc/rfc9112#section-4).
// Chapter: docs/10-chat.md.
package chat

import (
	"bufio"
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
	"github.com/wsfromtcp/workshop/tools/chatkit"
)

// QueueLen is how many messages may wait for one client before the hub
// drops it: a few seconds of a lively chat.
const QueueLen = 256

// Server serves the chat page and the chat room on one port.
type Server struct {
	tcp  *accept.Server
	hub  *hub.Hub
	room *Room
	tls  *tls.Config // nil for plain http:// and ws://
}

// Listen serves the chat on addr: GET / is the page, GET /ws the WebSocket
// endpoint. With a TLS configuration every connection starts with a TLS
// handshake, and the same paths are https:// and wss:// (RFC 6455 §4.1:
// for wss, "the client MUST perform a TLS handshake" first).
func Listen(addr string, tlsConfig *tls.Config) (*Server, error) {
	h := hub.New(QueueLen)
	go h.Run()
	s := &Server{hub: h, room: NewRoom(h), tls: tlsConfig}
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

// Close says goodbye to everyone in the room with 1001, going away (RFC
// 6455 §7.4.1), then stops listening and waits for every connection to end.
func (s *Server) Close() error {
	s.hub.Stop()
	return s.tcp.Close()
}

// serveConn answers one connection: a TLS handshake when configured, then
// one HTTP request, either a plain one or the opening handshake.
func (s *Server) serveConn(conn net.Conn) {
	// The whole head, TLS included, must arrive in time: a client that
	// connects and waits must not keep a goroutine.
	_ = conn.SetDeadline(time.Now().Add(handshake.Timeout))
	if s.tls != nil {
		tc := tls.Server(conn, s.tls)
		if tc.Handshake() != nil {
			return
		}
		// RFC 6455 §4.2.2, §10.6 (R-4.2.2-2, R-10.6-1): with TLS, everything after its handshake goes through it.
		conn = tc
	}
	br := bufio.NewReader(conn)
	r, err := request.ReadRequest(br)
	if errors.Is(err, io.EOF) {
		return
	}
	if err != nil {
		_ = WriteResponse(conn, 400, "text/plain; charset=utf-8", []byte(err.Error()+"\n"))
		return
	}
	path, _, _ := strings.Cut(r.Target, "?")
	switch {
	case path == "/ws":
		key, err := handshake.Check(r)
		if err != nil {
			_ = handshake.WriteReject(conn, err)
			return
		}
		if handshake.WriteAccept(conn, key) != nil {
			return
		}
		_ = conn.SetDeadline(time.Time{})
		s.room.Handle(control.NewConn(conn, br))
	case r.Method != "GET":
		_ = WriteResponse(conn, 405, "text/plain; charset=utf-8", []byte("only GET is served here\n"))
	case path == "/":
		_ = WriteResponse(conn, 200, "text/html; charset=utf-8", chatkit.Page())
	default:
		// RFC 6455 §4.2.2 (R-4.2.2-5): a service that is not here gets 404.
		_ = WriteResponse(conn, 404, "text/plain; charset=utf-8", []byte("not found: the chat is at /\n"))
	}
}
