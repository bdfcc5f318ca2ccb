package hardening

import (
	"crypto/tls"
	"crypto/x509"
	"strings"
	"testing"
	"time"

	chat "github.com/wsfromtcp/workshop/steps/10-chat"
	"github.com/wsfromtcp/workshop/tools/wstest"
	"github.com/wsfromtcp/workshop/tools/wstest/assert"
	"github.com/wsfromtcp/workshop/tools/wstest/require"
	"github.com/wsfromtcp/workshop/tools/wstest/wsclient"
)

func TestCloseCutsStuckWritersAfterTheGrace(t *testing.T) {
	// Proves RFC 6455 R-7.1.1-2 (docs/rfc6455.md).
	opts := quiet()
	opts.ShutdownGrace = 100 * time.Millisecond
	opts.WriteTimeout = time.Hour // only the grace may end a stuck write here
	srv, err := Listen("127.0.0.1:0", opts)
	require.NoError(t, err)
	closed := false
	wstest.CleanupWithin(t, wstest.Patience, func() {
		if !closed {
			srv.Close()
		}
	})

	// A client that joins and never reads, with a small receive buffer; ann
	// says 8 MB, more than the kernel buffers hold, so that the server's
	// writes to the reader block and its queue fills.
	join(t, srv, "stuck", wsclient.ReceiveBuffer(4096))
	ann := join(t, srv, "ann")
	text := strings.Repeat("y", 3900)
	for range 2000 {
		ann.send(chat.Event{Type: "say", Text: text})
		ann.until(chat.Event{Type: "say", Nick: "ann", Text: text}, "ann's own message")
	}
	// The stuck client's queue is full, it was dropped, and its writer is
	// blocked on a socket nobody reads.
	closed = wstest.Within(wstest.Patience, func() { srv.Close() })
	assert.True(t, closed, "attack: a client stops reading, and the server's Close waits for its writes for as long as they "+
		"may block. Fix: Close gives the goodbyes Options.ShutdownGrace, then closes every connection that is left "+
		"(RFC 6455 §7.1.1: the server may close TCP when the closing handshake does not end)")
}

func TestOldTLSVersionsAreRefused(t *testing.T) {
	// Proves RFC 6455 R-10.6-1 (docs/rfc6455.md).
	srv, cert := startWithTLS(t, tls.VersionTLS10) // a careless configuration

	leaf, err := x509.ParseCertificate(cert.Certificate[0])
	require.NoError(t, err)
	roots := x509.NewCertPool()
	roots.AddCert(leaf)
	for _, tc := range []struct {
		version uint16
		ok      bool
	}{{tls.VersionTLS11, false}, {tls.VersionTLS12, true}, {tls.VersionTLS13, true}} {
		conn := wstest.Dial(t, srv.Addr().String())
		c := tls.Client(conn, &tls.Config{RootCAs: roots, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS10, MaxVersion: tc.version})
		err := c.Handshake()
		if tc.ok {
			assert.NoError(t, err, "TLS %s must be served", tls.VersionName(tc.version))
			continue
		}
		assert.Error(t, err, "attack: a client forces TLS 1.1, whose weaknesses are known (RFC 8996 deprecates TLS 1.0 and 1.1). "+
			"Fix: set MinVersion to at least tls.VersionTLS12 on the server's configuration, whatever it was given")
	}
}
