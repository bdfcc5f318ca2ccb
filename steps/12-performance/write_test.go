package performance

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"sync"
	"testing"

	frame "github.com/wsfromtcp/workshop/steps/04-frame-decode"
	"github.com/wsfromtcp/workshop/tools/wstest"
	"github.com/wsfromtcp/workshop/tools/wstest/assert"
	"github.com/wsfromtcp/workshop/tools/wstest/require"
)

// countingConn counts the Write calls made on a net.Conn.
type countingConn struct {
	net.Conn
	mu     sync.Mutex
	writes int
}

func (c *countingConn) Write(b []byte) (int, error) {
	c.mu.Lock()
	c.writes++
	c.mu.Unlock()
	return c.Conn.Write(b)
}

func TestASmallMessageLeavesInOneWrite(t *testing.T) {
	// Each Write is a system call, and a header written on its own leaves
	// in a TCP segment of its own: header and payload go out together.
	server, client := pair(t)
	counted := &countingConn{Conn: server.conn}
	c := NewConn(counted, bufio.NewReader(counted))
	for _, size := range []int{0, 16, 1 << 10, 16 << 10} {
		msg := bytes.Repeat([]byte("a"), size)
		before := counted.writes
		require.NoError(t, c.WriteMessage(frame.OpText, msg))
		assert.Equal(t, 1, counted.writes-before, "WriteMessage of %d bytes must make exactly one Write on the "+
			"net.Conn, header and payload together", size)
		op, p := nextFrame(t, client, fmt.Sprintf("a text frame of %d bytes", size))
		assert.Equal(t, frame.OpText, op)
		assert.Equal(t, msg, p, "the frame must carry the message (RFC 6455 §5.2)")
	}
}

func TestConcurrentWriteMessagesNeverInterleaveTheirFrames(t *testing.T) {
	// Eight writers, each sending frames of its own byte, in sizes that
	// take every length form and both ways out (copied or not): every
	// frame must arrive whole, made of one writer's bytes.
	c, client := pair(t)
	sizes := []int{10, 300, 70 << 10, 5, 200 << 10}
	const writers = 8
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for _, size := range sizes {
				if c.WriteMessage(frame.OpBinary, bytes.Repeat([]byte{byte('A' + w)}, size)) != nil {
					return
				}
			}
		})
	}
	for i := range writers * len(sizes) {
		op, p := nextFrame(t, client, fmt.Sprintf("frame %d of %d", i+1, writers*len(sizes)))
		require.Equal(t, frame.OpBinary, op, "frame %d: the frames of concurrent writers must not interleave (RFC 6455 §5.2)", i+1)
		require.NotEmpty(t, p, "frame %d is empty: no writer sent an empty frame", i+1)
		require.Equal(t, bytes.Repeat(p[:1], len(p)), p, "frame %d mixes the bytes of several writers: "+
			"a frame must go out whole before another begins", i+1)
	}
	wstest.CleanupWithin(t, wstest.Patience, wg.Wait)
}
