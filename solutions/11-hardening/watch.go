package hardening

import (
	"fmt"
	"time"

	control "github.com/wsfromtcp/workshop/solutions/08-control"
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
	join := time.NewTimer(s.opts.JoinTimeout)
	defer join.Stop()
	ping := time.NewTicker(s.opts.PingInterval)
	defer ping.Stop()
	pong := time.NewTimer(0)
	<-pong.C             // stopped until the first ping
	var pinged time.Time // when the last ping went out
	for {
		select {
		case <-done:
			return
		case <-g.flooded:
			_ = c.Close(control.StatusPolicyViolation, floodReason)
			return
		case <-join.C:
			if !g.joined.Load() {
				_ = c.Close(control.StatusPolicyViolation, joinReason)
				return
			}
		case <-ping.C:
			if !pinged.IsZero() && g.silentSince(pinged) {
				continue // the last ping is unanswered: its pong timer decides
			}
			pinged = time.Now()
			// RFC 6455 §5.5.2 (R-5.5.2-3): the server pings a quiet client.
			if g.Ping() != nil {
				return // the connection is closing or broken: nothing to watch
			}
			pong.Reset(s.opts.PongWait)
		case <-pong.C:
			if g.silentSince(pinged) {
				// RFC 6455 §7.1.1 (R-7.1.1-2): a silent peer is cut off at once.
				g.Fail(c, control.StatusPolicyViolation, fmt.Sprintf("%s (%v)", pongReason, s.opts.PongWait))
				return
			}
		}
	}
}
