package attack_test

import (
	"os"
	"testing"
	"time"

	handshake "github.com/wsfromtcp/workshop/solutions/03-handshake"
	control "github.com/wsfromtcp/workshop/solutions/08-control"
	chat "github.com/wsfromtcp/workshop/solutions/10-chat"
	"github.com/wsfromtcp/workshop/tools/attack/internal/attack"
	"github.com/wsfromtcp/workshop/tools/wstest"
	"github.com/wsfromtcp/workshop/tools/wstest/assert"
	"github.com/wsfromtcp/workshop/tools/wstest/require"
)

// step10 starts the step 10 reference chat on loopback for one test.
func step10(t *testing.T) string {
	t.Helper()
	srv, err := chat.Listen("127.0.0.1:0", nil)
	require.NoError(t, err, "the step 10 reference chat must start on 127.0.0.1:0")
	wstest.CleanupWithin(t, wstest.Patience, func() { srv.Close() })
	return srv.Addr().String()
}

// short is an attack's configuration for a test: few connections, and a
// verdict after T. Against the step 10 chat a kept connection is kept
// forever, so a short T judges it as well as a long one.
func short(addr string) attack.Config {
	return attack.Config{Addr: addr, N: 20, K: 5, T: wstest.Patience / 10, Drain: wstest.Patience / 10}
}

// TestEveryAttackDefeatsTheStep10Chat is the kit's proof that its attacks
// are real: the step 10 reference chat, a chat that works between friends,
// falls to each of them.
func TestEveryAttackDefeatsTheStep10Chat(t *testing.T) {
	for _, kind := range []string{"origin", "idle", "vanish", "stall", "flood"} {
		t.Run(kind, func(t *testing.T) {
			c := short(step10(t))
			if kind == "flood" {
				// The readers are dropped once the flood has filled their
				// queues: give it time to, bounded by Patience.
				c.K, c.T = 10, wstest.Patience
			}
			r, err := attack.Run(kind, c)
			require.NoError(t, err, "the %s attack must run against the step 10 chat", kind)
			t.Log(r.Line)
			assert.False(t, r.Held, "the step 10 chat has no defence against %s, so the kit must say it fell; it said: %s", kind, r.Line)
		})
	}
}

// TestBigHeadDefeatsAServerThatAllocatesTheAnnouncedLength: the step 8 echo
// server takes messages up to 16 MiB, and allocates a frame's payload from
// its header. The chat of step 10 limits a message to 4 KiB and refuses the
// header with 1009 before allocating: bighead shows both.
func TestBigHeadDefeatsAServerThatAllocatesTheAnnouncedLength(t *testing.T) {
	srv, err := control.Serve("127.0.0.1:0", control.Echo)
	require.NoError(t, err, "the step 8 echo server must start")
	wstest.CleanupWithin(t, wstest.Patience, func() { srv.Close() })
	c := short(srv.Addr().String())
	c.PID = os.Getpid() // the server runs in this process
	r, err := attack.Run("bighead", c)
	require.NoError(t, err, "bighead must run against the echo server")
	t.Log(r.Line)
	assert.False(t, r.Held, "20 headers of 16 MiB must cost the step 8 echo server 16 MiB each (RFC 6455 §10.4); the kit said: %s", r.Line)

	c = short(step10(t))
	c.PID = os.Getpid()
	r, err = attack.Run("bighead", c)
	require.NoError(t, err, "bighead must run against the step 10 chat")
	t.Log(r.Line)
	assert.True(t, r.Held, "the step 10 chat refuses a frame over its 4 KiB limit before allocating it (1009); the kit said: %s", r.Line)
}

// TestSlowlorisIsCutOffByTheHeadDeadlineOfStep10: the step 10 chat already
// gives the whole head handshake.Timeout, so slowloris is beaten there; the
// test shortens the timeout so that a verdict comes in seconds.
func TestSlowlorisIsCutOffByTheHeadDeadlineOfStep10(t *testing.T) {
	saved := handshake.Timeout
	handshake.Timeout = wstest.Patience / 10
	t.Cleanup(func() { handshake.Timeout = saved })
	c := short(step10(t))
	c.T, c.Every = wstest.Patience, wstest.Patience/100
	r, err := attack.Run("slowloris", c)
	require.NoError(t, err, "slowloris must run against the step 10 chat")
	t.Log(r.Line)
	assert.True(t, r.Held, "the step 10 chat closes a connection whose head is not in by handshake.Timeout; the kit said: %s", r.Line)
}

// TestTheKitAttacksOnlyLoopbackAndKnownKinds: a learner's typo must not
// send an attack to someone else's server, nor do nothing silently.
func TestTheKitAttacksOnlyLoopbackAndKnownKinds(t *testing.T) {
	for _, addr := range []string{"192.0.2.1:80", "example.com:80", "nohost"} {
		_, err := attack.Run("idle", attack.Config{Addr: addr, T: time.Millisecond})
		assert.Error(t, err, "ADDR %s is not on loopback: the kit must refuse it", addr)
	}
	_, err := attack.Run("nosuch", attack.Config{Addr: "127.0.0.1:1"})
	require.Error(t, err, "an unknown kind must be an error")
	assert.ErrorContains(t, err, "slowloris", "the error for an unknown kind must list the kinds")
}
