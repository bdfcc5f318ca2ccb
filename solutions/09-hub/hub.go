// Package hub is step 9 of the workshop: a broadcast hub. One goroutine owns
// the set of clients and runs a for-select loop over four channels: join,
// leave, broadcast and stop. Each client has a bounded queue and a writer
// goroutine of its own, so that a client that stops reading is dropped
// instead of slowing down everyone else, and shutting down closes every
// client with 1001 and leaves no goroutine behind.
//
// Read RFC 6455 §7.1.2 Start the WebSocket Closing Handshake
// (https://www.rfc-editor.org/rfc/rfc6455#section-7.1.2) and §7.4.1 Defined
// Status Codes (https://www.rfc-editor.org/rfc/rfc6455#section-7.4.1), and
// the Go memory model on channels (https://go.dev/ref/mem#chan).
// Chapter: docs/09-hub.md.
package hub

import (
	"sync"

	frame "github.com/wsfromtcp/workshop/solutions/04-frame-decode"
	control "github.com/wsfromtcp/workshop/solutions/08-control"
)

// Conn is what the hub needs of a connection: a *control.Conn from step 8
// has both methods. Both must be safe to call while another goroutine reads
// from the connection.
type Conn interface {
	WriteMessage(op frame.Opcode, data []byte) error
	Close(code control.StatusCode, reason string) error
}

// The reasons the hub gives in its close frames. A reason is for debugging
// (RFC 6455 §5.5.1), and must fit in 123 bytes.
const (
	// A client whose queue is full is closed with 1008,
	// control.StatusPolicyViolation (RFC 6455 §7.4.1,
	// https://www.rfc-editor.org/rfc/rfc6455#section-7.4.1), and this
	// reason. The hub's policy is that a client keeps up with the
	// conversation; 1013 (try again later) would say the server is
	// overloaded, which is not what happened, and would invite the client
	// to come straight back and fall behind again.
	tooSlowReason   = "too slow: your queue of messages is full"
	goingAwayReason = "server shutting down"
)

// Hub sends every broadcast message to every client but its sender. All its
// state (which clients there are) belongs to the goroutine that runs Run;
// the other methods only talk to that goroutine over channels, so nothing
// needs a mutex.
type Hub struct {
	queueLen int

	join      chan *Client
	leave     chan *Client
	broadcast chan message
	stop      chan struct{} // closed by Stop: Run must shut down
	done      chan struct{} // closed by Run when it has returned

	stopOnce sync.Once
}

// message is one broadcast: what to send, and who sent it (nil for the
// server itself), so that it does not go back to its sender.
type message struct {
	from *Client
	op   frame.Opcode
	data []byte
}

// New returns a hub whose clients may each have up to queueLen messages
// waiting to be written; a client with a full queue is dropped. Start it
// with go h.Run(). New panics when queueLen is less than 1.
func New(queueLen int) *Hub {
	if queueLen < 1 {
		panic("hub: New needs a queue of at least one message")
	}
	return &Hub{
		queueLen:  queueLen,
		join:      make(chan *Client),
		leave:     make(chan *Client),
		broadcast: make(chan message),
		stop:      make(chan struct{}),
		done:      make(chan struct{}),
	}
}

// Run is the hub's loop; call it once, on a goroutine of its own. It adds
// joining clients and starts their writers, removes leaving clients, and
// puts each broadcast in the queue of every client but its sender. A client
// whose queue is full is dropped and closed with 1008 (policy violation,
// RFC 6455 §7.4.1) and tooSlowReason: Run never waits for a client. After
// Stop it closes every client with 1001 (going away, RFC 6455 §7.4.1) once
// its queue is sent, waits for the writers to finish, and returns.
func (h *Hub) Run() {
	defer close(h.done)
	// Local variables: no other goroutine can even reach them.
	clients := make(map[*Client]struct{})
	var writers sync.WaitGroup // Add only here, so Wait cannot miss a writer
	for {
		select {
		case c := <-h.join:
			clients[c] = struct{}{}
			writers.Add(1)
			go func() {
				defer writers.Done()
				c.write()
			}()

		case c := <-h.leave:
			// A client may leave twice, or leave after being dropped: only
			// the first removal counts, so that it is closed exactly once.
			if _, ok := clients[c]; ok {
				delete(clients, c)
				c.end(control.StatusNormalClosure, "")
			}

		case m := <-h.broadcast:
			for c := range clients {
				if c == m.from {
					continue
				}
				// Never block here: one client that does not read would stop
				// the hub, and with it every other client.
				select {
				case c.queue <- m:
				default:
					delete(clients, c) // deleting while ranging is allowed
					c.end(control.StatusPolicyViolation, tooSlowReason)
				}
			}

		case <-h.stop:
			for c := range clients {
				c.end(control.StatusGoingAway, goingAwayReason)
			}
			writers.Wait()
			// return, not break: a break here would only leave the select,
			// and the loop would go round again, forever.
			return
		}
	}
}

// Stop shuts the hub down: every client gets what was broadcast before, then
// a close frame with 1001 (going away). Stop returns once Run has returned,
// which is after every client was closed and every writer goroutine ended.
// It may be called any number of times, from any goroutine; Run must have
// been started.
func (h *Hub) Stop() {
	h.stopOnce.Do(func() { close(h.stop) })
	<-h.done
}

// Join adds a client that sends on conn, and returns the handle to pass to
// Leave and Broadcast. When the hub has stopped, Join closes conn with 1001
// (going away) itself and returns nil.
func (h *Hub) Join(conn Conn) *Client {
	c := &Client{hub: h, conn: conn, queue: make(chan message, h.queueLen)}
	// Every send to Run is in a select with stop: once Run has returned,
	// nobody receives, and a plain send would block forever.
	select {
	case h.join <- c:
		return c
	case <-h.stop:
		// RFC 6455 §7.3 (R-7.3-1): the server closes when it stops.
		_ = conn.Close(control.StatusGoingAway, goingAwayReason)
		return nil
	}
}

// Leave removes c from the hub: nothing broadcast after Leave returns
// reaches it, and its writer closes the connection with 1000 (normal
// closure), which does nothing to a connection that has already ended.
// Leaving twice, leaving after being dropped or after Stop, or with a nil c
// does nothing more: a client is closed exactly once.
func (h *Hub) Leave(c *Client) {
	if c == nil {
		return
	}
	select {
	case h.leave <- c:
	case <-h.stop:
	}
}

// Broadcast sends a message to every client but from; from is nil for a
// message from the server itself. Messages are delivered in the order of
// the Broadcast calls that return. The clients share data: it must not be
// changed afterwards. After Stop, Broadcast does nothing.
func (h *Hub) Broadcast(from *Client, op frame.Opcode, data []byte) {
	select {
	case h.broadcast <- message{from: from, op: op, data: data}:
	case <-h.stop:
	}
}
