// Package attack holds the attacks of the attack kit (tools/attack): each
// one opens connections to a chat server on loopback, does what a hostile or
// broken client does, and says in one line whether the server held.
//
// Every attack is bounded: at most MaxN connections, at most MaxDuration,
// a deadline on every read and write, and every connection it opened closed
// before it returns.
package attack

import (
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/wsfromtcp/workshop/tools/internal/localserver"
)

// Bounds on what the kit may be asked to do: it is for a learner's own
// server on their own machine, not a load generator.
const (
	MaxN        = 1000
	MaxDuration = 5 * time.Minute
)

// Config says where to attack and how hard. Zero fields take the defaults
// of Defaults.
type Config struct {
	Addr  string        // host:port of the server, on loopback
	Path  string        // the WebSocket endpoint, "/ws" for the chat
	N     int           // connections the attack opens (idle, bighead, slowloris)
	K     int           // well-behaved clients beside the attacker (flood, stall); slowloris: its slow frames
	T     time.Duration // how long the attack lasts before the verdict
	Drain time.Duration // how long to wait, after T, for what the server already sent
	PID   int           // the server's process, for bighead's memory reading; 0 when unknown
	Every time.Duration // slowloris: the pause between two bytes of a head or a frame
}

// Defaults are modest: a laptop runs them beside its browser. K stays
// under a cap of 20 connections per address (with the attacker, K+1).
var Defaults = Config{Path: "/ws", N: 200, K: 10, T: 10 * time.Second, Drain: time.Second, Every: 2 * time.Second}

// LongerT is T, when none is given, for the attacks that a server beats
// only after one of its own timeouts: longer than the 10 s a server of
// step 3 gives a head (slowloris), and than a heartbeat's ping interval and
// pong wait together (vanish, stall: 1 s + 3 s in the step 11 reference).
var LongerT = map[string]time.Duration{
	"slowloris": 15 * time.Second,
	"vanish":    15 * time.Second,
	"stall":     15 * time.Second,
}

// Result is an attack's verdict.
type Result struct {
	Held bool   // the server beat the attack
	Line string // what the attack did and the verdict, in one line
}

// Func is one attack.
type Func func(Config) (Result, error)

// Kinds are the attacks by name, for the command's KIND.
var Kinds = map[string]Func{
	"origin":    Origin,
	"flood":     Flood,
	"idle":      Idle,
	"vanish":    Vanish,
	"stall":     Stall,
	"bighead":   BigHead,
	"slowloris": Slowloris,
}

// Names lists the kinds in order, for a usage message.
func Names() string {
	names := make([]string, 0, len(Kinds))
	for k := range Kinds {
		names = append(names, k)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

// Run checks the configuration, fills in the defaults and runs the attack
// kind.
func Run(kind string, c Config) (Result, error) {
	f, ok := Kinds[kind]
	if !ok {
		return Result{}, fmt.Errorf("no attack %q: say one of %s", kind, Names())
	}
	if c.T == 0 {
		c.T = LongerT[kind]
	}
	c = c.withDefaults()
	if err := c.check(); err != nil {
		return Result{}, err
	}
	return f(c)
}

func (c Config) withDefaults() Config {
	d := Defaults
	c.Path = cmp(c.Path, d.Path)
	c.N = cmp(c.N, d.N)
	c.K = cmp(c.K, d.K)
	c.T = cmp(c.T, d.T)
	c.Drain = cmp(c.Drain, d.Drain)
	c.Every = cmp(c.Every, d.Every)
	return c
}

// cmp is cmp.Or for the kit's fields: v, or def when v is zero.
func cmp[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// check refuses what the kit must not do: attack another machine, or run
// unbounded.
func (c Config) check() error {
	host, _, err := net.SplitHostPort(c.Addr)
	if err != nil {
		return fmt.Errorf("ADDR %q: want host:port, for example 127.0.0.1:8080", c.Addr)
	}
	if !localserver.Loopback(host) {
		return fmt.Errorf("ADDR %q is not on loopback: the kit attacks only a server on this machine (127.0.0.1, ::1, localhost)", c.Addr)
	}
	switch {
	case c.N < 1 || c.N > MaxN:
		return fmt.Errorf("N=%d: between 1 and %d", c.N, MaxN)
	case c.K < 1 || c.K > MaxN:
		return fmt.Errorf("K=%d: between 1 and %d", c.K, MaxN)
	case c.T <= 0 || c.T > MaxDuration:
		return fmt.Errorf("T=%s: between 0 and %s", c.T, MaxDuration)
	case !strings.HasPrefix(c.Path, "/"):
		return errors.New("the path must start with /")
	}
	return nil
}

// pool keeps every connection an attack opened, to close them all at the end.
type pool struct {
	mu    sync.Mutex
	conns []net.Conn
}

func (p *pool) add(c net.Conn) {
	p.mu.Lock()
	p.conns = append(p.conns, c)
	p.mu.Unlock()
}

func (p *pool) closeAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// seconds formats a duration for a verdict: "10 s", "0.2 s".
func seconds(d time.Duration) string {
	return fmt.Sprintf("%.3g s", d.Seconds())
}
