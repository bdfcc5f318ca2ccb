// Command conformance judges a WebSocket echo server with the workshop's
// conformance suite (package suite): handshake statuses, framing at every
// length form, ping/pong, reserved bits and opcodes, fragmentation, UTF-8,
// and the closing handshake with the exact status codes of RFC 6455.
//
//	go run ./steps/cmd/echo -addr 127.0.0.1:9001        # your server, in one terminal
//	go run ./tools/conformance -addr 127.0.0.1:9001     # the suite, in another
//
// It ends with the line "N passed, N failed" and exits 1 when a case fails.
package main

import (
	"flag"
	"fmt"
	"os"
	"regexp"

	"github.com/wsfromtcp/workshop/tools/conformance/suite"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:9001", "the echo server's host:port (loopback only)")
	only := flag.String("case", "", "run only the cases whose ID or name match this regular expression")
	verbose := flag.Bool("v", false, "show the RFC section of every case, passed or not")
	flag.Parse()

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
