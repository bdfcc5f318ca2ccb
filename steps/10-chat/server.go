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
	"crypto/tls"
	"net"

	accept "github.com/wsfromtcp/workshop/steps/01-accept"
	hub "github.com/wsfromtcp/workshop/steps/09-hub"
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
	// TODO(step 10): put a deadline on the head. When s.tls is set, wrap
	// conn in a TLS server connection and complete its handshake first.
	// Read the request; answer 400 when it is malformed. Then route: /ws
	// takes the opening handshake (step 3's Check, WriteAccept or
	// WriteReject) and, once upgraded, lifts the deadline and hands a step 8
	// Conn to the room; any other method gets 405; / gets the page
	// (chatkit.Page()); any other path 404.
	panic("TODO(step 10): write serveConn")
}
