// Package load is the load report behind make load: it opens many
// WebSocket clients to a chat server on this machine, has each join and
// say numbered, timestamped messages at a steady rate, and counts what
// every client hears (docs/10-chat.md, "Measure it: make load").
package load

import (
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/wsfromtcp/workshop/tools/internal/localserver"
)

// The bounds of a run: enough to find a chat's limits on one machine, not
// enough to turn the tool into a weapon.
const (
	MaxClients  = 2000
	MaxRate     = 100 // messages a second, per client
	MaxDuration = 10 * time.Minute
	MaxExtras   = 10 // flooders, and stallers
)

// Config is one run.
type Config struct {
	URL      string        // ws:// or wss:// URL of the chat endpoint, on loopback (see ParseAddr)
	Clients  int           // normal clients: join, say Rate messages a second, read everything
	Rate     float64       // messages a second per normal client
	Duration time.Duration // how long the normal clients speak
	Flood    int           // clients that send 4 KiB says as fast as they can
	Stall    int           // clients that join and never read
	PID      int           // the server's process, for its memory (0: not measured)

	// PerAddr spreads the clients over source addresses 127.1.0.1,
	// 127.1.0.2, …, PerAddr clients on each, as users on many machines
	// would come, so that a server's cap on connections per address (step
	// 11) does not refuse the crowd. 0: every client from the address the
	// system picks. Only for a server on IPv4 loopback or localhost.
	PerAddr int

	// Patience bounds every wait on the server: the dial and handshake,
	// each write, the warm-up, the close, and the end of the run once
	// nothing more arrives. It only bounds a hang; zero means 10 s.
	Patience time.Duration
}

// ParseAddr turns what a learner types (127.0.0.1:8080, localhost:8080,
// ws://127.0.0.1:8080/ws, http://127.0.0.1:8080/, or wss:// and https://
// for a TLS chat) into the chat's WebSocket URL; a missing path, or /,
// becomes /ws, where the workshop's chat listens. It refuses any host but
// this machine's: localhost or a loopback address.
func ParseAddr(addr string) (string, error) {
	if !strings.Contains(addr, "://") {
		addr = "ws://" + addr
	}
	u, err := url.Parse(addr)
	if err != nil {
		return "", fmt.Errorf("ADDR %q is not host:port or a ws:// URL: %w", addr, err)
	}
	switch u.Scheme {
	case "ws", "http":
		u.Scheme = "ws"
	case "wss", "https":
		u.Scheme = "wss"
	default:
		return "", fmt.Errorf("ADDR %q: the scheme must be ws://, wss://, http:// or https://", addr)
	}
	host, port := u.Hostname(), u.Port()
	if port == "" {
		return "", fmt.Errorf("ADDR %q has no port: give host:port, for example 127.0.0.1:8080", addr)
	}
	if !localserver.Loopback(host) {
		return "", fmt.Errorf("refusing %s: the load report only runs against a server on this machine (localhost, 127.0.0.1 or ::1)", host)
	}
	if u.Path == "" || u.Path == "/" {
		u.Path = "/ws"
	}
	return u.String(), nil
}

// Check refuses a run outside the bounds, saying which bound.
func (c Config) Check() error {
	switch {
	case c.Clients < 1 || c.Clients > MaxClients:
		return fmt.Errorf("CLIENTS=%d: give 1 to %d clients", c.Clients, MaxClients)
	case !(c.Rate > 0 && c.Rate <= MaxRate):
		return fmt.Errorf("RATE=%g: give more than 0 and at most %d messages a second per client", c.Rate, MaxRate)
	case c.Duration <= 0 || c.Duration > MaxDuration:
		return fmt.Errorf("DURATION=%s: give more than 0 and at most %s", c.Duration, MaxDuration)
	case c.Flood < 0 || c.Flood > MaxExtras || c.Stall < 0 || c.Stall > MaxExtras:
		return fmt.Errorf("-flood %d -stall %d: give 0 to %d of each", c.Flood, c.Stall, MaxExtras)
	case c.PerAddr < 0:
		return fmt.Errorf("-per-addr %d: give 0, or how many clients share a source address", c.PerAddr)
	case c.PID < 0:
		return fmt.Errorf("PID=%d is not a process id", c.PID)
	}
	_, err := ParseAddr(c.URL)
	return err
}

func (c Config) patience() time.Duration {
	if c.Patience <= 0 {
		return 10 * time.Second
	}
	return c.Patience
}

// sources is how many source addresses the normal clients take.
func (r *run) sources() int {
	if !r.spread {
		return 0
	}
	return (r.cfg.Clients + r.cfg.PerAddr - 1) / r.cfg.PerAddr
}

// spreads is true when the clients of a run on wsURL come from many
// source addresses: PerAddr is set, and the server is on IPv4 loopback.
func spreads(wsURL string, perAddr int) bool {
	u, err := url.Parse(wsURL)
	if err != nil || perAddr == 0 {
		return false
	}
	ip := net.ParseIP(u.Hostname())
	return u.Hostname() == "localhost" || (ip != nil && ip.To4() != nil && ip.IsLoopback())
}

// sourceIP is the source address numbered n: 127.1.0.1 for 0, on through
// 127.1.0.250 and 127.1.1.1; nil when the clients are not spread. All of
// 127.0.0.0/8 is this machine (RFC 1122 §3.2.1.3).
func (r *run) sourceIP(n int) net.IP {
	if !r.spread {
		return nil
	}
	return net.IPv4(127, 1, byte(n/250), byte(n%250+1))
}
