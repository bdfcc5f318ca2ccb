// Package accept is step 1 of the workshop: a TCP server that accepts
// connections in a loop and serves each one in its own goroutine.
//
// A WebSocket connection starts life as a plain TCP connection (RFC 6455 §1.7,
// https://www.rfc-editor.org/rfc/rfc6455#section-1.7); everything later in the
// workshop runs inside the Handler that this server starts for each one.
// Chapter: docs/01-accept.md.
package accept

import (
	"errors"
	"net"
	"sync"
	"time"
)

// Handler serves one accepted connection. It runs on its own goroutine, and
// the server closes the connection when the handler returns.
type Handler func(conn net.Conn)

// Server accepts TCP connections and runs a Handler for each.
type Server struct {
	ln      net.Listener
	handler Handler

	wg sync.WaitGroup // the accept loop and every running handler

	mu     sync.Mutex
	conns  map[net.Conn]struct{} // open connections, so that Close can end them
	closed bool
}

// Listen listens for TCP connections on addr (such as "127.0.0.1:0", where
// port 0 asks the system for a free port) and serves each connection with h
// on its own goroutine until Close is called.
func Listen(addr string, h Handler) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := &Server{ln: ln, handler: h, conns: make(map[net.Conn]struct{})}
	s.wg.Add(1)
	go s.acceptLoop()
	return s, nil
}

// Addr is the address the server listens on, with the real port when
// Listen was given port 0.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// acceptLoop accepts connections until the listener is closed.
func (s *Server) acceptLoop() {
	defer s.wg.Done()
	var backoff time.Duration
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			// Anything else (out of file descriptors, most often) passes:
			// wait a little, as net/http does, instead of spinning or giving up.
			backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
			time.Sleep(backoff)
			continue
		}
		backoff = 0
		if !s.track(conn) {
			conn.Close()
			return
		}
		go s.serve(conn)
	}
}

// track records an accepted connection, or reports false when the server is
// closing and the connection must not be served.
func (s *Server) track(conn net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.conns[conn] = struct{}{}
	s.wg.Add(1) // under mu, so that Close cannot be waiting already
	return true
}

func (s *Server) serve(conn net.Conn) {
	defer s.wg.Done()
	// RFC 6455 §7.1.1 (R-7.1.1-3, R-7.1.1-4): when the handler returns, the server closes TCP at once.
	defer func() {
		s.mu.Lock()
		delete(s.conns, conn)
		s.mu.Unlock()
		conn.Close()
	}()
	s.handler(conn)
}

// Close stops accepting, closes every open connection so that handlers
// blocked on a read return, and waits for the handlers to finish. Calling
// Close again does nothing.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	err := s.ln.Close()
	for conn := range s.conns {
		conn.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
	return err
}
