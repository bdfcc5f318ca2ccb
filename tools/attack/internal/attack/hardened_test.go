package attack_test

import (
	"os"
	"testing"

	handshake "github.com/wsfromtcp/workshop/solutions/03-handshake"
	hardening "github.com/wsfromtcp/workshop/solutions/11-hardening"
	"github.com/wsfromtcp/workshop/tools/attack/internal/attack"
	"github.com/wsfromtcp/workshop/tools/wstest"
	"github.com/wsfromtcp/workshop/tools/wstest/assert"
	"github.com/wsfromtcp/workshop/tools/wstest/require"
)

// step11 starts the hardened reference of step 11 on loopback for one
// test, with its timeouts shortened so that each of them acts well within
// an attack of Patience: a tenth of it, and a quarter for the pong, which a
// reader behind a flood sends only once it has read up to the ping.
func step11(t *testing.T) string {
	t.Helper()
	short := wstest.Patience / 10
	srv, err := hardening.Listen("127.0.0.1:0", hardening.Options{
		JoinTimeout: short, PingInterval: short, PongWait: wstest.Patience / 4, WriteTimeout: short,
	})
	require.NoError(t, err, "the step 11 reference must start on 127.0.0.1:0")
	wstest.CleanupWithin(t, wstest.Patience, func() { srv.Close() })
	return srv.Addr().String()
}

// TestTheHardenedStep11ChatBeatsEveryAttack is the other half of the kit's
// proof: step 11 beats every attack, the six that defeat step 10 among
// them, because its defences act within the attack's T.
func TestTheHardenedStep11ChatBeatsEveryAttack(t *testing.T) {
	saved := handshake.Timeout
	handshake.Timeout = wstest.Patience / 10 // for slowloris, as in step 10
	t.Cleanup(func() { handshake.Timeout = saved })
	for _, kind := range []string{"origin", "idle", "vanish", "stall", "flood", "bighead", "slowloris"} {
		t.Run(kind, func(t *testing.T) {
			c := short(step11(t))
			c.T, c.Drain, c.Every, c.PID = wstest.Patience, wstest.Patience/10, wstest.Patience/100, os.Getpid()
			r, err := attack.Run(kind, c)
			require.NoError(t, err, "the %s attack must run against the step 11 chat", kind)
			t.Log(r.Line)
			assert.True(t, r.Held, "the step 11 chat defends against %s, so the kit must say it held; it said: %s", kind, r.Line)
		})
	}
}
