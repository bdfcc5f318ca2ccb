package classroom

import (
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wsfromtcp/workshop/tools/classroom/dashboard"
	"github.com/wsfromtcp/workshop/tools/course"
	"github.com/wsfromtcp/workshop/tools/wstest"
)

// deadAddress is a loopback address where nothing listens: the dashboard
// stopped.
func deadAddress(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// silentAddress is an address that accepts TCP and never answers the
// opening handshake: a dashboard that hangs, or a firewall that swallows.
func silentAddress(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	return ln.Addr().String()
}

func TestSendGivesUpAtItsDeadlineWhateverTheDashboardDoes(t *testing.T) {
	for name, addr := range map[string]string{"stopped": deadAddress(t), "silent": silentAddress(t)} {
		t.Run(name, func(t *testing.T) {
			s := Dial(addr)
			time.Sleep(50 * time.Millisecond) // the grade being printed
			start := time.Now()
			_, err := s.Send(dashboard.Event{Kind: dashboard.KindGrade}, start.Add(Wait))
			took := time.Since(start)
			assert.Error(t, err, "nothing can answer at %s", addr)
			// The deadline bounds the wait, not the dial's own timeout of
			// dialTimeout; the slack is for a loaded machine.
			assert.Less(t, took, Wait+time.Second, "Send must give up at its deadline, %v after the grade", Wait)
		})
	}
}

func TestPrintableKeepsEscapeSequencesOutOfTheTerminal(t *testing.T) {
	assert.Equal(t, "[2Jbreak until 15:00", Printable("\x1b[2Jbreak until 15:00\n", 200))
	assert.Equal(t, "ab…", Printable("abc", 2))
}

func TestJoinSaysWhyItCannotJoin(t *testing.T) {
	srv, err := dashboard.Listen("127.0.0.1:0", dashboard.Config{Code: "RIGHT1", Course: course.MustLoad()})
	require.NoError(t, err)
	wstest.CleanupWithin(t, wstest.Patience, func() { srv.Close() })
	addr := srv.Addr().String()

	require.NoError(t, Join(addr, "RIGHT1", "ann", "0123456789abcdef"))
	require.NoError(t, Join(addr, "RIGHT1", "ann", "0123456789abcdef"), "the same learner may join again")
	err = Join(addr, "RIGHT1", "ann", NewID())
	require.Error(t, err)
	assert.Contains(t, err.Error(), `someone else in this classroom is called "ann"`)
	err = Join(addr, "WRONG1", "ann", NewID())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "wrong class code")
	err = Join(deadAddress(t), "RIGHT1", "ann", NewID())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "cannot reach the dashboard")
	err = Join(addr, "RIGHT1", "ann\x07", NewID())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "cannot be shown")
	err = Join("192.168.1.10", "RIGHT1", "ann", NewID())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "host:port")
}
