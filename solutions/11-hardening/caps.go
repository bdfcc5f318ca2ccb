package hardening

import "sync"

// Caps counts the connections being served, in total and per remote
// address, so that one machine, or many, cannot take every file descriptor
// (RFC 6455 §10.4: a server sets limits of its own). It is safe for
// concurrent use.
type Caps struct {
	total, perAddr int

	mu     sync.Mutex
	n      int
	byAddr map[string]int
}

// NewCaps returns caps of total connections, and perAddr from one address.
func NewCaps(total, perAddr int) *Caps {
	return &Caps{total: total, perAddr: perAddr, byAddr: make(map[string]int)}
}

// Acquire counts a new connection from addr (an IP address, without the
// port) and reports true, or reports false and counts nothing when either
// cap is reached. Each true must be followed by one Release(addr).
func (c *Caps) Acquire(addr string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n >= c.total || c.byAddr[addr] >= c.perAddr {
		return false
	}
	c.n++
	c.byAddr[addr]++
	return true
}

// Release uncounts a connection from addr that Acquire counted.
func (c *Caps) Release(addr string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n--
	if c.byAddr[addr]--; c.byAddr[addr] <= 0 {
		delete(c.byAddr, addr) // or the map grows with every address ever seen
	}
}
