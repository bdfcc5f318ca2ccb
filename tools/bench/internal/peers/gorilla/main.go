// Command gorilla is gorilla/websocket's echo server, as its own example
// writes it (ReadMessage, then WriteMessage of the same message), for make
// bench. It takes echokit's flags: -addr, -memstats.
package main

import (
	"net/http"

	"github.com/gorilla/websocket"
	"github.com/wsfromtcp/workshop/tools/bench/internal/peers"
	"github.com/wsfromtcp/workshop/tools/echokit"
)

func main() {
	var upgrader websocket.Upgrader // the defaults: 4 KiB buffers, no compression
	echokit.Main(func(addr string) (echokit.Server, error) {
		return peers.Serve(addr, func(w http.ResponseWriter, r *http.Request) {
			c, err := upgrader.Upgrade(w, r, nil)
			if err != nil {
				return
			}
			defer c.Close()
			for {
				mt, data, err := c.ReadMessage()
				if err != nil {
					return
				}
				if err := c.WriteMessage(mt, data); err != nil {
					return
				}
			}
		})
	})
}
