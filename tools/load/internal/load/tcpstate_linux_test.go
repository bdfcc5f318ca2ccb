package load

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wsfromtcp/workshop/tools/wstest"
)

// TestPeerClosedSeesTheServersCloseBehindAFullWindow: a client that never
// reads stops its receive window; the server then closes, and its FIN
// waits behind the data the client never took, so the client's own TCP
// state stays established. peerClosed must still see the close, from the
// server's end.
func TestPeerClosedSeesTheServersCloseBehindAFullWindow(t *testing.T) {
	client, server := tcpPair(t)

	closed, ok := peerClosed(client)
	require.True(t, ok, "the TCP state of a loopback connection must be readable on Linux")
	require.False(t, closed, "the server has not closed yet")

	// Write until the client's window and the server's send buffer are full
	// (a write blocks), then close.
	_ = server.SetWriteDeadline(time.Now().Add(wstest.Patience / 10))
	chunk := make([]byte, 64<<10)
	for {
		if _, err := server.Write(chunk); err != nil {
			break
		}
	}
	require.NoError(t, server.Close())

	assert.True(t, seenClosed(client), "the server closed: its end of the connection must have left the established state")
	ours, ok := tcpState(client)
	require.True(t, ok)
	assert.Equal(t, byte(established), ours, "the client's window is full, so the server's FIN cannot have arrived: the close was seen from the server's end")
}
