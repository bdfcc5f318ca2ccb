// Command wsframe shows WebSocket frames the way RFC 6455 §5.2 draws them,
// with the values filled in, and names every rule a frame breaks.
//
//	go run ./tools/wsframe 81 85 37 fa 21 3d 7f 9f 4d 51 58
//	echo 81057f9f4d5158 | go run ./tools/wsframe -from server
//	go run ./tools/wsframe -proxy 127.0.0.1:9000 -to 127.0.0.1:9001
//
// The proxy sits between a browser and a server and prints every frame in
// both directions as it passes.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/wsfromtcp/workshop/tools/wsframe/inspect"
)

func main() {
	from := flag.String("from", "client", "who sent the frames: client (must be masked) or server (must not be)")
	proxy := flag.String("proxy", "", "listen on this address and forward to -to, printing every frame")
	to := flag.String("to", "", "with -proxy: the server to forward to")
	verbose := flag.Bool("v", false, "with -proxy: draw every frame, not one line each")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: wsframe [-from client|server] HEX…   (or the hex on standard input)")
		fmt.Fprintln(os.Stderr, "       wsframe -proxy LISTEN -to TARGET [-v]")
		flag.PrintDefaults()
	}
	flag.Parse()

	if *proxy != "" {
		if *to == "" {
			fmt.Fprintln(os.Stderr, "wsframe: -proxy needs -to, the server to forward to")
			os.Exit(2)
		}
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		defer stop()
		if err := inspect.Proxy(ctx, *proxy, *to, os.Stdout, *verbose); err != nil {
			fmt.Fprintln(os.Stderr, "wsframe:", err)
			os.Exit(1)
		}
		return
	}

	side := inspect.Client
	switch *from {
	case "client":
	case "server":
		side = inspect.Server
	default:
		fmt.Fprintf(os.Stderr, "wsframe: -from %q: say client or server\n", *from)
		os.Exit(2)
	}
	args := flag.Args()
	if len(args) == 0 {
		in, err := io.ReadAll(os.Stdin)
		if err != nil {
			fmt.Fprintln(os.Stderr, "wsframe:", err)
			os.Exit(1)
		}
		args = []string{string(in)}
	}
	data, err := inspect.ParseHex(args...)
	if err != nil {
		fmt.Fprintln(os.Stderr, "wsframe:", err)
		os.Exit(2)
	}
	broken := false
	for i, f := range inspect.Decode(data, side) {
		if i > 0 {
			fmt.Println()
		}
		fmt.Printf("Frame %d: %d bytes\n", i+1, len(f.Raw))
		inspect.Draw(os.Stdout, f, side)
		broken = broken || len(f.Problems) > 0
	}
	if broken {
		os.Exit(1)
	}
}
