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
	// TODO(step 11): under c.mu, refuse when c.n has reached c.total or
	// c.byAddr[addr] has reached c.perAddr; else count the connection in both.
	panic("TODO(step 11): write Caps.Acquire")
}

// Release uncounts a connection from addr that Acquire counted.
func (c *Caps) Release(addr string) {
	// TODO(step 11): under c.mu, uncount the connection in both counts, and
	// delete the address from the map when its count falls to zero.
	panic("TODO(step 11): write Caps.Release")
}
