package hardening

import (
	control "github.com/wsfromtcp/workshop/steps/08-control"
)

// The reasons of the close frames the policy sends, all with 1008, policy
// violation (RFC 6455 §7.4.1): the client broke a rule of this server.
const (
	floodReason = "too many messages"
	joinReason  = "join first: you did not join in time"
	pongReason  = "no pong: you did not answer the ping in time"
)

// watch enforces the policy on one upgraded connection until done is
// closed: a client that floods (g.flooded) is closed with 1008 and
// floodReason; one that has not joined JoinTimeout after the upgrade with
// 1008 and joinReason; and every PingInterval it pings (g.Ping), and fails
// with 1008 and pongReason a client from which nothing came within
// PongWait of the ping (RFC 6455 §5.5.2: a ping "may serve either as a
// keepalive or as a means to verify that the remote endpoint is still
// responsive"). While a ping is unanswered no new one is sent and its
// deadline stands, even when PingInterval is the shorter. A silent client
// will not answer a close frame either, so it gets g.Fail (the close frame,
// then TCP closed at once) rather than Close's closing handshake. Close and
// Fail return once the connection has ended, so watch returns after it too.
func (s *Server) watch(g *guard, c *control.Conn, done <-chan struct{}) {
	// TODO(step 11): one for-select loop, with a timer of JoinTimeout, a
	// ticker of PingInterval and a pong timer. done: return. g.flooded: Close
	// with 1008 and floodReason. The join timer: unless g.joined, Close with
	// 1008 and joinReason. A tick: unless the last ping is still unanswered
	// (g.silentSince(pinged)), note the time, g.Ping() (an error: return) and
	// start the pong timer of PongWait. The pong timer: if g.silentSince(pinged),
	// g.Fail with 1008 and a reason starting with pongReason. Return after
	// every Close and Fail.
	panic("TODO(step 11): write watch")
}
