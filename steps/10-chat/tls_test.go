package chat

import (
	"io"
	"testing"

	"github.com/wsfromtcp/workshop/tools/chatkit"
	"github.com/wsfromtcp/workshop/tools/wstest/assert"
	"github.com/wsfromtcp/workshop/tools/wstest/require"
)

func TestThePageAndTheChatWorkOverTLS(t *testing.T) {
	// Proves RFC 6455 R-10.6-1, R-4.2.2-2 (docs/rfc6455.md).
	cert, err := chatkit.SelfSigned("127.0.0.1")
	require.NoError(t, err)
	srv := start(t, chatkit.ServerConfig(cert))
	trust := trusting(t, cert)

	resp, err := httpClient(trust).Get("https://" + srv.Addr().String() + "/")
	require.NoError(t, err, "with a TLS configuration, every connection starts with a TLS handshake: https://%s/ must load", srv.Addr())
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, string(chatkit.Page()), string(body), "the page over https is the same page")

	c := connect(t, "wss://"+srv.Addr().String()+"/ws", trust)
	c.send(Event{Type: "join", Nick: "ann"})
	assert.Equal(t, "welcome", c.next("the welcome, over wss://").Type, "wss:// is the same protocol inside TLS (RFC 6455 §4.1)")
	c.send(Event{Type: "say", Text: "secret"})
	assert.Equal(t, Event{Type: "join", Nick: "ann"}, c.next("ann's join"))
	assert.Equal(t, Event{Type: "say", Nick: "ann", Text: "secret"}, c.next("ann's message"))
}
