package performance

import (
	"cmp"
	"io"
	"testing"

	frame "github.com/wsfromtcp/workshop/steps/04-frame-decode"
	"github.com/wsfromtcp/workshop/tools/wstest"
	"github.com/wsfromtcp/workshop/tools/wstest/assert"
	"github.com/wsfromtcp/workshop/tools/wstest/require"
)

// The checks here count allocations with testing.AllocsPerRun, which
// counts them in the whole process: the client is therefore a few lines
// of raw TCP that send a frame built once and read into a buffer made
// once, allocating nothing itself, and the loops keep their first error
// for after the count: an assertion allocates. AllocsPerRun reports the average per
// run, rounded down, so the rare allocation of the runtime is no
// message's fault.

// runs is how many messages a count averages over.
const runs = 200

func TestMaskAppendMessageAndWriteMessageAllocateNothing(t *testing.T) {
	c, client := pair(t)
	msg := wstest.Pattern(1 << 10)
	in := clientFrame(true, frame.OpBinary, msg, -1)
	reply := make([]byte, len(in)-4) // no key in a server frame
	var buf []byte
	var failed error // the first error; an assertion in the loop would allocate itself
	roundTrip := func() {
		if failed != nil {
			return
		}
		_, failed = client.Write(in)
		op, data, err := c.AppendMessage(buf[:0])
		if err == nil {
			err = c.WriteMessage(op, data)
		}
		buf = data
		if err == nil {
			_, err = io.ReadFull(client, reply)
		}
		failed = cmp.Or(failed, err)
	}
	roundTrip() // the buffers grow once
	require.NoError(t, failed, "a binary message of 1 KiB read with AppendMessage and written back with WriteMessage")
	require.Equal(t, msg, reply[len(reply)-len(msg):], "the message written back must be the message read")

	mask := AllocsPerRun(func() { Mask(key, 1, msg) })
	trip := AllocsPerRun(roundTrip)
	require.NoError(t, failed, "binary messages of 1 KiB read with AppendMessage and written back with WriteMessage")
	if raceEnabled {
		return // the race detector allocates on its own: the counts mean nothing
	}
	assert.Zero(t, mask, "Mask of 1 KiB allocated %v times: it works in place", mask)
	assert.Zero(t, trip, "AppendMessage into a reused buffer and WriteMessage of 1 KiB allocated %v times per message: "+
		"reuse the Conn's buffers and the caller's, and keep what does not outlive a call on the stack", trip)
}

func TestEchoAllocatesNothingPerMessageInASteadyState(t *testing.T) {
	c, client := pair(t)
	go Echo(c)
	in := clientFrame(true, frame.OpText, []byte("a message of forty bytes, echoed as is."), -1)
	reply := make([]byte, len(in)-4)
	var failed error
	roundTrip := func() {
		if failed == nil {
			_, failed = client.Write(in)
		}
		if failed == nil {
			_, failed = io.ReadFull(client, reply)
		}
	}
	roundTrip()
	allocs := AllocsPerRun(roundTrip)
	require.NoError(t, failed, "Echo must send every message back")
	if raceEnabled {
		return
	}
	assert.Zero(t, allocs, "Echo allocated %v times per message once its buffer had grown: read each message "+
		"into the buffer of the one before (AppendMessage(buf[:0]))", allocs)
}

// AllocsPerRun is testing.AllocsPerRun over runs calls of f.
func AllocsPerRun(f func()) float64 { return testing.AllocsPerRun(runs, f) }
