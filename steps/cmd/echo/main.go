// Command echo is your WebSocket echo server, built from your own steps 1
// to 8: every text and binary message goes back to its sender, pings are
// answered, and the connection closes with the status codes of RFC 6455
// §7.4.1. The reference solution's is in solutions/cmd/echo.
//
//	go run ./steps/cmd/echo -addr 127.0.0.1:9001
//
// Judge it with go run ./tools/conformance -addr 127.0.0.1:9001.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"

	control "github.com/wsfromtcp/workshop/steps/08-control"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:9001", "host:port to listen on")
	flag.Parse()

	srv, err := control.Serve(*addr, control.Echo)
	if err != nil {
		fmt.Fprintln(os.Stderr, "echo:", err)
		os.Exit(1)
	}
	fmt.Printf("echo server on ws://%s/ (Ctrl-C stops it)\n", srv.Addr())

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt)
	<-stop
	srv.Close()
}
