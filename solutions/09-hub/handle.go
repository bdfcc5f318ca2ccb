package hub

import (
	control "github.com/wsfromtcp/workshop/solutions/08-control"
)

// Handle serves one connection as a member of the hub: it joins, broadcasts
// every message the client sends to every other client, and leaves when
// the connection ends. Pass it to control.Serve:
//
//	h := hub.New(64)
//	go h.Run()
//	srv, err := control.Serve(addr, h.Handle)
func (h *Hub) Handle(c *control.Conn) {
	client := h.Join(c)
	if client == nil {
		return // the hub has stopped, and Join closed c with 1001
	}
	defer h.Leave(client)
	for {
		op, data, err := c.ReadMessage()
		if err != nil {
			return // a *control.CloseError: the connection has ended
		}
		// data is fresh for every message (step 7), so the clients may
		// share it.
		h.Broadcast(client, op, data)
	}
}
