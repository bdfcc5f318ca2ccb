package attack_test

import (
	"bufio"
	"io"
	"net"
	"os"
	"testing"
	"time"

	request "github.com/wsfromtcp/workshop/solutions/02-request"
	handshake "github.com/wsfromtcp/workshop/solutions/03-handshake"
	frame "github.com/wsfromtcp/workshop/solutions/04-frame-decode"
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
// falls to each of them. Against slowloris, step 3's deadline on the head
// holds (shortened here so that the verdict comes in seconds), and the
// frames sent slowly after it are what the chat keeps.
func TestEveryAttackDefeatsTheStep10Chat(t *testing.T) {
	saved := handshake.Timeout
	handshake.Timeout = wstest.Patience / 10
	t.Cleanup(func() { handshake.Timeout = saved })
	for _, kind := range []string{"origin", "idle", "vanish", "stall", "flood", "slowloris"} {
		t.Run(kind, func(t *testing.T) {
			c := short(step10(t))
			switch kind {
			case "flood":
				// The readers are dropped once the flood has filled their
				// queues: give it time to, bounded by Patience.
				c.K, c.T = 10, wstest.Patience
			case "slowloris":
				c.T, c.Every = wstest.Patience, wstest.Patience/100
			}
			r, err := attack.Run(kind, c)
			require.NoError(t, err, "the %s attack must run against the step 10 chat", kind)
			t.Log(r.Line)
			assert.False(t, r.Held, "the step 10 chat has no defence against %s, so the kit must say it fell; it said: %s", kind, r.Line)
			if kind == "slowloris" {
				assert.Contains(t, r.Line, "cut off the heads but kept 5 frames",
					"step 3's deadline on the head cuts off a slow handshake; a slow frame has none at step 10")
			}
		})
	}
}

// TestBigHeadDefeatsAServerThatAllocatesTheAnnouncedLength: a server that
// makes a frame's payload from the length in its header pays 16 MiB for
// each bighead header. The references do not: step 4's ReadFrame grows the
// payload as bytes arrive (the step 8 echo takes 16 MiB messages), and the
// chat of step 10 refuses the header with 1009 (its limit is 4 KiB).
func TestBigHeadDefeatsAServerThatAllocatesTheAnnouncedLength(t *testing.T) {
	srv, err := handshake.Listen("127.0.0.1:0", allocateAnnounced)
	require.NoError(t, err, "the naive server must start")
	wstest.CleanupWithin(t, wstest.Patience, func() { srv.Close() })
	c := short(srv.Addr().String())
	c.PID = os.Getpid() // the servers run in this process
	r, err := attack.Run("bighead", c)
	require.NoError(t, err, "bighead must run against the naive server")
	t.Log(r.Line)
	assert.False(t, r.Held, "20 headers of 16 MiB must cost a server that allocates the announced length 16 MiB each (RFC 6455 §10.4); the kit said: %s", r.Line)

	echo, err := control.Serve("127.0.0.1:0", control.Echo)
	require.NoError(t, err, "the step 8 echo server must start")
	wstest.CleanupWithin(t, wstest.Patience, func() { echo.Close() })
	for name, addr := range map[string]string{"the step 8 echo": echo.Addr().String(), "the step 10 chat": step10(t)} {
		c = short(addr)
		c.PID = os.Getpid()
		r, err = attack.Run("bighead", c)
		require.NoError(t, err, "bighead must run against %s", name)
		t.Log(r.Line)
		assert.True(t, r.Held, "%s must not pay for bytes that never came (RFC 6455 §10.4); the kit said: %s", name, r.Line)
	}
}

// allocateAnnounced is the naive server: after the handshake, it reads
// each frame's header and makes its payload from the announced length.
func allocateAnnounced(_ net.Conn, br *bufio.Reader, _ *request.Request) {
	for {
		h, err := frame.ReadHeader(br)
		if err != nil {
			return
		}
		payload := make([]byte, h.Length)
		if _, err := io.ReadFull(br, payload); err != nil {
			return
		}
	}
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
