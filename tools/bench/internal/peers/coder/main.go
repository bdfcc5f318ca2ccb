// Command coder is coder/websocket's echo server for make bench: each
// message's Reader copied into a Writer of the same type, as its own
// example does, but through one buffer per connection (io.CopyBuffer), as
// anyone who measures writes it: io.Copy would allocate 32 KiB for every
// message. Its context is context.Background(): with the request's, which
// can be cancelled, coder/websocket watches it on every read and write (16
// allocations a message here), and the loop ends with the connection
// anyway. It takes echokit's flags: -addr, -memstats.
package main

import (
	"context"
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
			buf := make([]byte, 32<<10)
			ctx := context.Background()
			for {
				typ, rd, err := c.Reader(ctx)
				if err != nil {
					return
				}
				wr, err := c.Writer(ctx, typ)
				if err != nil {
					return
				}
				if _, err := io.CopyBuffer(wr, rd, buf); err != nil {
					return
				}
				if err := wr.Close(); err != nil {
					return
				}
			}
		})
	})
}
