package hardening

import (
	"errors"
	"strings"
	"testing"

	request "github.com/wsfromtcp/workshop/steps/02-request"
	"github.com/wsfromtcp/workshop/tools/wstest/assert"
	"github.com/wsfromtcp/workshop/tools/wstest/require"
)

func TestCheckOriginAllowsTheSameOriginTheAllowListAndNoOrigin(t *testing.T) {
	// Proves RFC 6455 R-10.2-1, R-4.2.1-2 (docs/rfc6455.md).
	allowed := []string{"https://chat.example", "http://localhost:3000"}
	for _, tc := range []struct {
		origin string // "" for no Origin header
		ok     bool
		why    string
	}{
		{"", true, "a program that is not a browser need not send Origin (RFC 6455 §10.2)"},
		{"http://127.0.0.1:8080", true, "the page this server serves itself: Origin's host is the Host"},
		{"https://127.0.0.1:8080", true, "the same host and port over https (the wss:// page)"},
		{"https://chat.example", true, "an origin on the allow-list"},
		{"HTTPS://Chat.Example", true, "origins compare ASCII case-insensitively (RFC 6454 §6.1)"},
		{"http://localhost:3000", true, "an origin on the allow-list, with its port"},
		{"https://evil.example", false, "a page on another site: cross-site WebSocket hijacking"},
		{"http://localhost:3001", false, "another port is another origin"},
		{"https://chat.example.evil.example", false, "an allowed origin as a prefix is not that origin"},
		{"null", false, "a sandboxed or file:// page sends null, which proves nothing"},
	} {
		r := &request.Request{Method: "GET", Target: "/ws", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Header: request.Header{}}
		r.Header.Add("Host", "127.0.0.1:8080")
		if tc.origin != "" {
			r.Header.Add("Origin", tc.origin)
		}
		err := CheckOrigin(r, allowed)
		if tc.ok {
			assert.NoError(t, err, "Origin %q must be allowed: %s", tc.origin, tc.why)
			continue
		}
		require.Error(t, err, "Origin %q must be refused: %s. The attack: a script on that page opens your chat as its visitor; "+
			"the fix: allow a handshake without Origin, from the server's own origin or from AllowedOrigins, and refuse every other with ErrOrigin (RFC 6455 §10.2)", tc.origin, tc.why)
		assert.True(t, errors.Is(err, ErrOrigin), "the error for Origin %q should wrap ErrOrigin, got %v", tc.origin, err)
		assert.Contains(t, err.Error(), tc.origin, "the error should name the origin it refused, so the 403 says why")
	}
}

func TestACrossSiteHandshakeGets403WithTheReason(t *testing.T) {
	// Proves RFC 6455 R-10.2-2, R-4.2.2-3 (docs/rfc6455.md),
	// and also R-10.2-1.
	opts := quiet()
	opts.AllowedOrigins = []string{"https://friend.example"}
	srv := start(t, opts)
	addr := srv.Addr().String()

	resp, body, _ := upgradeAt(t, addr, upgradeHead(addr, "https://evil.example"))
	assert.Equal(t, 403, resp.StatusCode, "attack: a page on https://evil.example opens a WebSocket to the chat with the visitor's "+
		"cookies and reads the room (cross-site WebSocket hijacking). Fix: check Origin in the handshake and answer 403 Forbidden "+
		"to an origin that is not allowed (RFC 6455 §10.2, §4.2.2)")
	assert.True(t, strings.Contains(body, "https://evil.example"), "the 403's body should say which origin was refused, got %q", body)

	for _, origin := range []string{"", "http://" + addr, "https://friend.example"} {
		resp, _, _ := upgradeAt(t, addr, upgradeHead(addr, origin))
		assert.Equal(t, 101, resp.StatusCode, "Origin %q must still be let in: no Origin (a program), the server's own page, "+
			"or one in Options.AllowedOrigins (RFC 6455 §10.2)", origin)
	}
}
