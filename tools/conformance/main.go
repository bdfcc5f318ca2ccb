// Command conformance judges a WebSocket echo server with the workshop's
// conformance suite (package suite): handshake statuses, framing at every
// length form, ping/pong, reserved bits and opcodes, fragmentation, UTF-8,
// and the closing handshake with the exact status codes of RFC 6455.
//
//	go run ./steps/cmd/echo -addr 127.0.0.1:9001        # your server, in one terminal
//	go run ./tools/conformance -addr 127.0.0.1:9001     # the suite, in another
//	go run ./tools/conformance -reference               # the suite against the reference solution
//
// It ends with the line "N passed, N failed" and exits 1 when a case fails.
package main

import (
	"flag"
	"fmt"
	"os"
	"regexp"

	control "github.com/wsfromtcp/workshop/solutions/08-control"
	"github.com/wsfromtcp/workshop/tools/conformance/suite"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:9001", "the echo server's host:port (loopback only)")
	only := flag.String("case", "", "run only the cases whose ID or name match this regular expression")
	verbose := flag.Bool("v", false, "show the RFC section of every case, passed or not")
	reference := flag.Bool("reference", false, "start the reference echo server (solutions/08-control) on a free loopback port and judge it instead of -addr")
	flag.Parse()

	if *reference {
		srv, err := control.Serve("127.0.0.1:0", control.Echo)
		if err != nil {
			fmt.Fprintln(os.Stderr, "conformance: starting the reference echo server:", err)
			os.Exit(2)
		}
		defer srv.Close()
		*addr = srv.Addr().String()
	}

	var match func(suite.Case) bool
	if *only != "" {
		re, err := regexp.Compile(*only)
		if err != nil {
			fmt.Fprintf(os.Stderr, "conformance: -case %q: %v\n", *only, err)
			os.Exit(2)
		}
		match = func(c suite.Case) bool { return re.MatchString(c.ID) || re.MatchString(c.Name) }
	}
	fmt.Printf("Conformance of the echo server at ws://%s/\n\n", *addr)
	results := suite.Run(*addr, match)
	suite.Print(os.Stdout, results, *verbose)
	if _, failed := suite.Summary(results); failed > 0 {
		os.Exit(1)
	}
}
