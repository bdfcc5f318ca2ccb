// Package hardening is step 11 of the workshop: the step 10 chat, made safe
// to put on the internet. Nothing in steps 1 to 10 changes; this step puts a
// guard around each connection and a policy around the room:
//
//   - the Origin of a browser's handshake is checked (RFC 6455 §10.2), and
//     a page from another site gets 403;
//   - connections are capped, in total and per remote address, with 503
//     before any upgrade;
//   - an upgraded client must join within Options.JoinTimeout, or is closed
//     with 1008 (policy violation, RFC 6455 §7.4.1);
//   - each client may send Options.Rate frames a second, with bursts of
//     Options.Burst (a token bucket); a flooder is closed with 1008 "too
//     many messages", and nobody else suffers for it;
//   - the server pings every Options.PingInterval (RFC 6455 §5.5.2) and
//     closes with 1008 a peer from which nothing, not even the pong, came
//     within Options.PongWait: dead peers and stalled readers leave in
//     seconds;
//   - every write has a deadline of Options.WriteTimeout, and Close gives
//     the room Options.ShutdownGrace to say goodbye before it cuts the rest;
//   - an HTTP head over the limit gets 431 (414 when its request line is
//     what runs over), plain HTTP on the TLS port gets 400, and TLS below
//     1.2 is refused.
//
// Read RFC 6455 §10.2 Origin Considerations
// (https://www.rfc-editor.org/rfc/rfc6455#section-10.2), §10.4
// Implementation-Specific Limits, §10.7 Handling of Invalid Data, §5.5.2
// and §5.5.3 (Ping and Pong), §7.1.1 (closing TCP) and §4.2.2 (what to
// answer a handshake the server refuses).
// Chapter: docs/11-hardening.md.
package hardening

import (
	"crypto/tls"
	"time"
)

// Options are the limits of the hardened server. A zero field takes its
// default, given in its comment; the tests shorten the timings.
type Options struct {
	// AllowedOrigins are the origins, besides the server's own, whose pages
	// may open a WebSocket, written as a browser sends them:
	// "https://chat.example" or "http://localhost:3000". Default: none, the
	// same origin only.
	AllowedOrigins []string

	MaxConns        int // connections served at once; default 1000
	MaxConnsPerAddr int // connections from one remote IP address; default 20

	JoinTimeout time.Duration // from upgrade to join; default 5 s

	// A silent peer (gone without a FIN, or one that never reads) is found
	// within PingInterval + PongWait: 4 s by default. Browsers answer a
	// ping by themselves, and a ping is 2 bytes, so pinging often costs
	// little; a peer on a link slower than PongWait would be dropped.
	PingInterval time.Duration // between two pings; default 1 s
	PongWait     time.Duration // from a ping to the pong (or anything); default 3 s
	WriteTimeout time.Duration // the longest a write may block; default 5 s

	Rate  float64 // frames a client may send per second; default 10
	Burst int     // frames a client may send at once; default 20

	ShutdownGrace time.Duration // what Close gives the goodbyes; default 1 s

	// QueueLen is how many messages may wait for one client (step 9's
	// queue) before the hub drops it with 1008; default 1024. Step 10's
	// 256 is under a second of a busy room's traffic (300 people saying
	// one thing a second), so a reader that a loaded machine slows for a
	// moment would be dropped; a stalled reader is found by the heartbeat
	// instead, long before its queue fills.
	QueueLen int

	// TLS, when set, makes every connection https:// and wss://; TLS
	// versions below 1.2 are refused whatever MinVersion says.
	TLS *tls.Config
}

// withDefaults returns o with every zero field set to its default.
func (o Options) withDefaults() Options {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&o.JoinTimeout, 5*time.Second)
	def(&o.PingInterval, time.Second)
	def(&o.PongWait, 3*time.Second)
	def(&o.WriteTimeout, 5*time.Second)
	def(&o.ShutdownGrace, time.Second)
	if o.MaxConns <= 0 {
		o.MaxConns = 1000
	}
	if o.MaxConnsPerAddr <= 0 {
		o.MaxConnsPerAddr = 20
	}
	if o.Rate <= 0 {
		o.Rate = 10
	}
	if o.Burst <= 0 {
		o.Burst = 20
	}
	if o.QueueLen <= 0 {
		o.QueueLen = 1024
	}
	return o
}
