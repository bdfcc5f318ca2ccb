package hardening

import (
	"testing"

	"github.com/wsfromtcp/workshop/tools/wstest/assert"
	"github.com/wsfromtcp/workshop/tools/wstest/require"
)

func TestCapsCountTotalAndPerAddress(t *testing.T) {
	// The attack: one machine opens connections until the server has no
	// descriptors left. The fix: caps, in total and per remote address.
	const fix = " (one machine must not take every descriptor: cap connections in total and per address; RFC 6455 §10.4)"
	c := NewCaps(3, 2)
	assert.True(t, c.Acquire("10.0.0.1"), "1st connection from 10.0.0.1: under both caps"+fix)
	assert.True(t, c.Acquire("10.0.0.1"), "2nd from 10.0.0.1: at the per-address cap of 2")
	assert.False(t, c.Acquire("10.0.0.1"), "3rd from 10.0.0.1: over the per-address cap, one machine may not take the server"+fix)
	assert.True(t, c.Acquire("10.0.0.2"), "1st from 10.0.0.2: the 3rd in total, at the total cap")
	assert.False(t, c.Acquire("10.0.0.3"), "a 4th in total: over the total cap of 3, whoever asks"+fix)
	c.Release("10.0.0.1")
	assert.True(t, c.Acquire("10.0.0.3"), "after a Release there is room again")
	assert.False(t, c.Acquire("10.0.0.1"), "a refused Acquire counts nothing, and the total is full again")
	for range 2 {
		c.Release("10.0.0.1")
	}
	c.Release("10.0.0.2")
	c.Release("10.0.0.3")
	assert.True(t, c.Acquire("10.0.0.1"), "everything released: there is room")
}

func TestConnectionsOverTheCapsGet503BeforeUpgrade(t *testing.T) {
	// Proves RFC 6455 R-4.2.2-3 (docs/rfc6455.md).
	opts := quiet()
	opts.MaxConns, opts.MaxConnsPerAddr = 3, 2
	srv := start(t, opts)
	addr := srv.Addr().String()
	join(t, srv, "ann")
	join(t, srv, "bob")

	resp, _, _ := upgradeAt(t, addr, upgradeHead(addr, ""))
	assert.Equal(t, 503, resp.StatusCode, "attack: one machine opens connections until the server has no file descriptors left. "+
		"Fix: cap the connections per remote address (Options.MaxConnsPerAddr), and answer 503 Service Unavailable "+
		"before any upgrade (RFC 6455 §10.4)")

	// Other addresses on loopback: 127.0.0.2 is ours on Linux, not on every system.
	// One at a time: the server must have counted each before the next comes.
	second := dialFrom(t, "127.0.0.2", addr)
	if second == nil {
		t.Log("the total cap is checked by TestCapsCountTotalAndPerAddress only")
		return
	}
	resp, _, _ = upgradeOn(t, second, upgradeHead(addr, ""))
	assert.Equal(t, 101, resp.StatusCode, "a 3rd connection, from another address, is under both caps and must be served")
	third := dialFrom(t, "127.0.0.3", addr)
	require.NotNil(t, third, "127.0.0.2 worked, so 127.0.0.3 should")
	resp, _, _ = upgradeOn(t, third, upgradeHead(addr, ""))
	assert.Equal(t, 503, resp.StatusCode, "a 4th connection in total, from yet another address, is over Options.MaxConns: many "+
		"machines together may not take the server either; answer 503 (RFC 6455 §10.4)")
}
