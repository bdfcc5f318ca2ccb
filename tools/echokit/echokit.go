// Package echokit is the echo command of both trees: steps/cmd/echo runs it
// on the learner's step 8 and solutions/cmd/echo on the reference, the way
// tools/chatkit runs the two chat commands, so that each main is a few
// lines and the two cannot drift apart.
package echokit

import (
	"flag"
	"fmt"
	"os"

	"github.com/wsfromtcp/workshop/tools/chatkit"
)

// Server is what the command needs of an echo server, the server that step
// 8's Serve returns: an address, and Close.
type Server = chatkit.Server

// ServeFunc starts an echo server on addr: step 8's Serve with its Echo
// handler.
type ServeFunc func(addr string) (Server, error)

// Main is the echo command: it reads the flag -addr, starts the server
// with serve, prints its ws:// address, and closes it on Ctrl-C. It exits
// the program with status 1 when the server cannot start.
func Main(serve ServeFunc) {
	addr := flag.String("addr", "127.0.0.1:9001", "host:port to listen on")
	flag.Parse()

	srv, err := serve(*addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "echo:", err)
		os.Exit(1)
	}
	fmt.Printf("echo server on ws://%s/ (Ctrl-C stops it)\n", srv.Addr())
	chatkit.CloseOnInterrupt(srv, "stopping: closing every connection")
}
