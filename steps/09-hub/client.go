package hub

import (
	control "github.com/wsfromtcp/workshop/steps/08-control"
)

// Client is one connection in the hub, as Join returns it. Its queue is
// filled by Run and emptied by the client's own writer goroutine, so that a
// slow connection holds up nobody but itself.
type Client struct {
	hub   *Hub
	conn  Conn
	queue chan message // bounded: Run drops the client when it is full

	// Why the client goes, written by Run just before it closes queue, and
	// read by the writer only once its range over queue has ended. Closing a
	// channel happens before a receive that returns because the channel is
	// closed (https://go.dev/ref/mem#chan), so no lock is needed.
	code   control.StatusCode
	reason string
}

// end tells the writer to send what is still queued, then close the
// connection with code and reason. Only Run calls it, once per client: a
// channel closed twice panics.
func (c *Client) end(code control.StatusCode, reason string) {
	c.code, c.reason = code, reason
	close(c.queue)
}

// write is the client's writer goroutine: it sends the queued messages in
// order until Run closes the queue, then closes the connection, exactly
// once, with the code Run chose.
func (c *Client) write() {
	// TODO(step 9): write each message of the queue, in order, until Run
	// closes the queue; then close the connection with c.code and c.reason.
	// When a write fails, the connection is gone: ask the hub to remove the
	// client, write nothing more, but keep emptying the queue until it is
	// closed.
	panic("TODO(step 9): write Client.write")
}
