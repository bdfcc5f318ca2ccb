package hub

import (
	control "github.com/wsfromtcp/workshop/steps/08-control"
)

// Handle serves one connection as a member of the hub: it joins, broadcasts
// every message the client sends to every other client, and leaves when
// the connection ends. Pass it to control.Serve:
//
//	h := hub.New(64)
//	go h.Run()
//	srv, err := control.Serve(addr, h.Handle)
func (h *Hub) Handle(c *control.Conn) {
	// TODO(step 9): join the hub; if it has stopped, return. Then broadcast
	// every message the client sends to the others until ReadMessage fails,
	// and leave.
	panic("TODO(step 9): write Hub.Handle")
}
