// Command coder is coder/websocket's echo server, as its own example
// writes it (each message's Reader copied into a Writer of the same type),
// for make bench. It takes echokit's flags: -addr, -memstats.
package main

import (
	"io"
	"net/http"

	"github.com/coder/websocket"
	"github.com/wsfromtcp/workshop/tools/bench/internal/peers"
	"github.com/wsfromtcp/workshop/tools/echokit"
)

// readLimit is the largest message echoed: the workshop's own limit
// (step 8's MaxMessageSize), where coder/websocket's default is 32 KiB.
const readLimit = 16 << 20

func main() {
	echokit.Main(func(addr string) (echokit.Server, error) {
		return peers.Serve(addr, func(w http.ResponseWriter, r *http.Request) {
			c, err := websocket.Accept(w, r, nil) // no compression by default
			if err != nil {
				return
			}
			defer c.CloseNow()
			c.SetReadLimit(readLimit)
			for {
				typ, rd, err := c.Reader(r.Context())
				if err != nil {
					return
				}
				wr, err := c.Writer(r.Context(), typ)
				if err != nil {
					return
				}
				if _, err := io.Copy(wr, rd); err != nil {
					return
				}
				if err := wr.Close(); err != nil {
					return
				}
			}
		})
	})
}
