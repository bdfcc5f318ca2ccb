package performance

import (
	"bytes"
	"io"
	"runtime"
	"testing"
	"time"

	frame "github.com/wsfromtcp/workshop/steps/04-frame-decode"
	"github.com/wsfromtcp/workshop/tools/wstest"
	"github.com/wsfromtcp/workshop/tools/wstest/assert"
	"github.com/wsfromtcp/workshop/tools/wstest/require"
)

// readResult is what a Read on the server's goroutine returned.
type readResult struct {
	n   int
	err error
}

func TestNextReaderHandsOutAMessageAsItArrives(t *testing.T) {
	c, client := pair(t)
	msg := wstest.Pattern(1 << 20)
	half := len(msg) / 2
	whole := clientFrame(true, frame.OpBinary, msg, -1)
	headerLen := len(whole) - len(msg)

	// The server reads into a buffer as large as the whole message, while
	// the client has sent only the header and the first half.
	buf := make([]byte, len(msg))
	reads := make(chan readResult, 1)
	var r io.Reader
	go func() {
		var err error
		var op frame.Opcode
		if op, r, err = c.NextReader(); err != nil || op != frame.OpBinary {
			reads <- readResult{0, err}
			return
		}
		n, err := r.Read(buf)
		reads <- readResult{n, err}
	}()
	send(t, client, whole[:headerLen+half])
	var first readResult
	select {
	case first = <-reads:
	case <-time.After(wstest.Patience):
		require.FailNow(t, "the first Read of a 1 MiB message whose first half has arrived returned nothing within "+
			wstest.Patience.String()+": the reader must hand out the bytes that have arrived, not wait for the whole "+
			"frame (io.Reader: Read returns what is available)")
	}
	require.NoError(t, first.err, "NextReader and the first Read of a binary message")
	require.NotNil(t, r, "NextReader must return a reader with the opcode OpBinary")
	require.True(t, first.n > 0 && first.n <= half, "the first Read returned %d bytes while %d had been sent: "+
		"it must return some of the bytes that arrived, and no more", first.n, half)
	require.Equal(t, msg[:first.n], buf[:first.n], "the first Read must hand out the payload unmasked (RFC 6455 §5.3)")

	// The rest, then the end of the message.
	send(t, client, whole[headerLen+half:])
	done := make(chan readResult, 1)
	go func() {
		n, err := io.ReadFull(r, buf[first.n:])
		if err == nil {
			var one [1]byte
			_, err = r.Read(one[:])
		}
		done <- readResult{n, err}
	}()
	select {
	case rest := <-done:
		assert.Equal(t, io.EOF, rest.err, "after the message's last byte, Read returns io.EOF")
		assert.Equal(t, msg, buf, "the whole message, read in pieces, must be the payload the client sent, unmasked")
	case <-time.After(wstest.Patience):
		assert.Fail(t, "the rest of the message did not arrive through the reader within "+wstest.Patience.String())
	}
}

func TestFragmentsWithPingsBetweenThemAreJoinedAndThePingsAnswered(t *testing.T) {
	// Fragment lengths that are not multiples of 4: each frame has its own
	// key, and unmasking starts again at key byte 0 (RFC 6455 §5.3).
	c, client := pair(t)
	go Echo(c)
	msg := wstest.Pattern(1013)
	send(t, client, bytes.Join([][]byte{
		clientFrame(false, frame.OpBinary, msg[:1001], -1),
		clientFrame(true, frame.OpPing, []byte("ping 1"), -1),
		clientFrame(false, frame.OpContinuation, nil, -1),
		clientFrame(false, frame.OpContinuation, msg[1001:1010], -1),
		clientFrame(true, frame.OpPing, []byte("ping 2"), -1),
		clientFrame(true, frame.OpContinuation, msg[1010:], -1),
		clientFrame(true, frame.OpBinary, []byte("next"), -1),
	}, nil))
	for _, want := range []string{"ping 1", "ping 2"} {
		op, p := nextFrame(t, client, "a pong for "+want)
		require.Equal(t, frame.OpPong, op, "a ping between fragments is answered at once, with a pong (RFC 6455 §5.4, §5.5.2)")
		require.Equal(t, want, string(p), "the pong carries the ping's payload (RFC 6455 §5.5.3)")
	}
	op, p := nextFrame(t, client, "the echo of a message in four fragments")
	assert.Equal(t, frame.OpBinary, op, "the message takes the opcode of its first fragment (RFC 6455 §5.4)")
	assert.Equal(t, msg, p, "the fragments of 1001, 0, 9 and 3 bytes, with pings between them, make one message (RFC 6455 §5.4)")
	_, p = nextFrame(t, client, "the echo of the message after it")
	assert.Equal(t, "next", string(p), "the message after a fragmented one is read on its own")
}

func TestReadMessageAndAppendMessageReturnDataTheCallerMayKeep(t *testing.T) {
	c, client := pair(t)
	for _, m := range []string{"first message", "second", "third message", "fourth"} {
		send(t, client, clientFrame(true, frame.OpBinary, []byte(m), -1))
	}

	_, first, err := c.ReadMessage()
	require.NoError(t, err)
	_, second, err := c.ReadMessage()
	require.NoError(t, err)
	assert.Equal(t, "first message", string(first), "ReadMessage's data is the caller's to keep: the next "+
		"ReadMessage must not write into it (a hub hands one slice to every client)")
	assert.Equal(t, "second", string(second))

	// AppendMessage appends to the caller's buffer, in place when it has
	// room, and never touches the caller's bytes before len(buf).
	buf := make([]byte, 0, 64)
	buf = append(buf, "3: "...)
	_, got, err := c.AppendMessage(buf)
	require.NoError(t, err)
	assert.Equal(t, "3: third message", string(got), "AppendMessage(buf) returns buf with the message appended")
	assert.True(t, &got[0] == &buf[0], "AppendMessage(buf) with room in buf must append in place, "+
		"as append does: a reused buffer is what keeps reading from allocating")
	_, again, err := c.AppendMessage(got[:0])
	require.NoError(t, err)
	assert.Equal(t, "fourth", string(again), "AppendMessage(buf[:0]) reuses buf for the next message")
}

func TestAnAnnouncedLengthIsNotAllocatedBeforeTheBytesArrive(t *testing.T) {
	// Proves RFC 6455 R-10.4-1 (docs/rfc6455.md).
	// A header claims 16 MiB (the default limit, so it is allowed) and
	// 100 bytes follow; then the client hangs up. A server that allocates
	// what the header announces lets every peer make it hold 16 MiB for 14
	// bytes (RFC 6455 §10.4): buffers grow with the bytes that arrive.
	c, client := pair(t)
	announced := 16 << 20
	ended := make(chan error, 1)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	go func() {
		_, _, err := c.AppendMessage(nil)
		ended <- err
	}()
	send(t, client, clientFrame(true, frame.OpBinary, wstest.Pattern(100), announced))
	client.Close()
	select {
	case err := <-ended:
		require.Error(t, err, "AppendMessage must fail when TCP closes in the middle of a message")
	case <-time.After(wstest.Patience):
		require.FailNow(t, "AppendMessage did not return within "+wstest.Patience.String()+" of the client closing TCP")
	}
	runtime.ReadMemStats(&after)
	allocated := after.TotalAlloc - before.TotalAlloc
	assert.Less(t, allocated, uint64(1<<20), "reading a frame whose header announces 16 MiB, of which 100 bytes came, "+
		"allocated %d bytes: allocate for the bytes received, never for the length a header announces (RFC 6455 §10.4)", allocated)
}
