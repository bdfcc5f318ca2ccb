// Command echo is the reference WebSocket echo server: every text and
// binary message goes back to its sender, pings are answered, and the
// connection closes with the status codes of RFC 6455 §7.4.1.
//
//	go run ./solutions/cmd/echo -addr 127.0.0.1:9001
//
// Judge it with go run ./tools/conformance -addr 127.0.0.1:9001.
package main

import (
	control "github.com/wsfromtcp/workshop/solutions/08-control"
	"github.com/wsfromtcp/workshop/tools/echokit"
)

func main() {
	echokit.Main(func(addr string) (echokit.Server, error) {
		return control.Serve(addr, control.Echo)
	})
}
