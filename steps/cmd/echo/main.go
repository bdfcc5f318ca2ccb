// Command echo is your WebSocket echo server, built from your own steps 1
// to 8: every text and binary message goes back to its sender, pings are
// answered, and the connection closes with the status codes of RFC 6455
// §7.4.1. With -fast it serves your step 12 Conn instead. The reference
// solution's is in solutions/cmd/echo.
//
//	go run ./steps/cmd/echo -addr 127.0.0.1:9001 [-fast]
//
// Judge it with go run ./tools/conformance -addr 127.0.0.1:9001.
package main

import (
	"flag"

	control "github.com/wsfromtcp/workshop/steps/08-control"
	performance "github.com/wsfromtcp/workshop/steps/12-performance"
	"github.com/wsfromtcp/workshop/tools/echokit"
)

var fast = flag.Bool("fast", false, "serve your step 12 Conn instead of your step 8 one")

func main() {
	echokit.Main(func(addr string) (echokit.Server, error) {
		if *fast {
			return performance.Serve(addr, performance.Echo)
		}
		return control.Serve(addr, control.Echo)
	})
}
