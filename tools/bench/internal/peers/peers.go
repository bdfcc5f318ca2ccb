// Package peers serves the benchmark's peers, the echo servers of other
// WebSocket libraries that make bench measures beside the workshop's: each
// is a small main in a folder of this one, run by tools/echokit like the
// workshop's own echo commands, so that all of them take the same flags
// (-addr, -memstats) and print their address the same way. Only tools may
// use these libraries; steps/ and solutions/ build on raw TCP (make rules).
package peers

import (
	"net"
	"net/http"
	"time"

	"github.com/wsfromtcp/workshop/tools/echokit"
)

// Serve serves handle over HTTP on addr, on a goroutine, and returns the
// server for echokit.Main. The headers of a request must arrive within
// five seconds, so that a silent connection cannot hold a goroutine for
// ever; the WebSocket connections after the upgrade have no deadline here,
// as in the libraries' own examples.
func Serve(addr string, handle http.HandlerFunc) (echokit.Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: handle, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return server{ln: ln, srv: srv}, nil
}

type server struct {
	ln  net.Listener
	srv *http.Server
}

func (s server) Addr() net.Addr { return s.ln.Addr() }

// Close closes the listener and every connection at once: the benchmark
// has no use for a graceful goodbye.
func (s server) Close() error { return s.srv.Close() }
