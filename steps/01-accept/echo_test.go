package accept

import (
	"io"
	"net"
	"testing"
	"time"

	"github.com/wsfromtcp/workshop/tools/wstest"
	"github.com/wsfromtcp/workshop/tools/wstest/assert"
	"github.com/wsfromtcp/workshop/tools/wstest/require"
)

func TestEchoReturnsWhenTheClientHangsUp(t *testing.T) {
	server, client := net.Pipe()
	defer server.Close()
	_ = client.SetDeadline(time.Now().Add(wstest.Patience))

	returned := make(chan struct{})
	go func() {
		Echo(server)
		close(returned) // not deferred: a panic must not look like a return (wstest.Within)
	}()

	_, err := client.Write([]byte("bye"))
	require.NoError(t, err, "Echo should read what the client writes")
	buf := make([]byte, 3)
	_, err = io.ReadFull(client, buf)
	require.NoError(t, err, "Echo should write the bytes back")
	client.Close()

	select {
	case <-returned:
	case <-time.After(wstest.Patience):
		assert.Fail(t, "Echo did not return after the client hung up: a Read that returns io.EOF means the other side is gone, so stop there")
	}
}
