// Command echo is the reference WebSocket echo server: every text and
// binary message goes back to its sender, pings are answered, and the
// connection closes with the status codes of RFC 6455 §7.4.1. With -fast it
// serves step 12's Conn instead of step 8's: the same behaviour, made fast.
//
//	go run ./solutions/cmd/echo -addr 127.0.0.1:9001 [-fast]
//
// Judge it with go run ./tools/conformance -addr 127.0.0.1:9001.
package main

import (
	"flag"

	control "github.com/wsfromtcp/workshop/solutions/08-control"
	performance "github.com/wsfromtcp/workshop/solutions/12-performance"
	"github.com/wsfromtcp/workshop/tools/echokit"
)

var fast = flag.Bool("fast", false, "serve step 12's fast Conn instead of step 8's")

func main() {
	echokit.Main(func(addr string) (echokit.Server, error) {
		if *fast {
			return performance.Serve(addr, performance.Echo)
		}
		return control.Serve(addr, control.Echo)
	})
}
