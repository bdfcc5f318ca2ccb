// Package accept is step 1 of the workshop: a TCP server that accepts
// connections in a loop and serves each one in its own goroutine.
//
// A WebSocket connection starts life as a plain TCP connection (RFC 6455 §1.7,
// https://www.rfc-editor.org/rfc/rfc6455#section-1.7); everything later in the
// workshop runs inside the Handler that this server starts for each one.
// Chapter: docs/01-accept.md. Check your work with: make step1
package accept

import (
	"net"
)

// Handler serves one accepted connection. It runs on its own goroutine, and
// the server closes the connection when the handler returns.
type Handler func(conn net.Conn)

// Server accepts TCP connections and runs a Handler for each.
type Server struct {
	ln net.Listener

	// TODO(step 1): add what Close needs to find and wait for: the open
	// connections, the running handlers, and whether the server is closed.
}

// Listen listens for TCP connections on addr (such as "127.0.0.1:0", where
// port 0 asks the system for a free port) and serves each connection with h
// on its own goroutine until Close is called.
func Listen(addr string, h Handler) (*Server, error) {
	// TODO(step 1): listen on addr, start accepting connections on a goroutine
	// of their own, and return at once. Report an error if addr is taken.
	panic("TODO(step 1): write Listen")
}

// Addr is the address the server listens on, with the real port when
// Listen was given port 0.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// Close stops accepting, closes every open connection so that handlers
// blocked on a read return, and waits for the handlers to finish. Calling
// Close again does nothing.
func (s *Server) Close() error {
	// TODO(step 1): stop the accept loop, hang up on every open connection,
	// and return only when every handler has returned.
	panic("TODO(step 1): write Close")
}
