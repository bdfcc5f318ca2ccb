package suite

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	control "github.com/wsfromtcp/workshop/solutions/08-control"
)

// The reference echo server is the suite's other half: every case must
// pass against it, with the exact status codes, or either the case or the
// reference is wrong.
func TestTheReferenceEchoServerPassesEveryCase(t *testing.T) {
	srv, err := control.Serve("127.0.0.1:0", control.Echo)
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })

	results := Run(srv.Addr().String(), nil)
	require.Len(t, results, len(Cases()), "Run with no filter runs every case")
	for _, r := range results {
		assert.NoError(t, r.Err, "case %s %s (RFC 6455 §%s)", r.ID, r.Name, r.Section)
	}
	var out strings.Builder
	Print(&out, results, false)
	assert.True(t, strings.HasSuffix(out.String(), fmt.Sprintf("\n%d passed, 0 failed\n", len(results))),
		"Print ends with the line \"N passed, N failed\" that CI logs are read for")
}

// The reference closes TCP the clean way of RFC 6455 §7.1.1 (a FIN, then
// the client's trailing bytes read and dropped), even when it fails a
// connection on which the client is still sending. The step checks accept
// a plain close (docs/08-control.md), so this proof is the reference's own:
// closing with 256 KiB unread would make the kernel send a reset, which
// can destroy the close frame before the client reads it.
func TestTheReferenceClosesWithAFINWhileTheClientIsStillSending(t *testing.T) {
	// Proves RFC 6455 R-7.1.1-1 (docs/rfc6455.md).
	srv, err := control.Serve("127.0.0.1:0", control.Echo)
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })
	c, err := open(srv.Addr().String())
	require.NoError(t, err)
	defer c.close()

	sent := make(chan error, 1)
	go func() {
		sent <- c.send(frame{fin: true, op: opText, payload: []byte("unmasked")}, binaryFrame(payload(256<<10)))
	}()
	f, err := c.read("the close frame that fails the unmasked frame")
	if assert.NoError(t, err) {
		assert.Equal(t, byte(opClose), f.op, "the unmasked frame fails the connection with a close frame (RFC 6455 §5.1)")
	}
	_, err = c.br.Read(make([]byte, 1))
	assert.ErrorIs(t, err, io.EOF, "after its close frame the server closes TCP with a FIN, not a reset (RFC 6455 §7.1.1)")
	c.close() // ends a send that the server stopped reading
	<-sent
}
