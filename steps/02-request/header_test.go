package request

import (
	"testing"

	"github.com/wsfromtcp/workshop/tools/wstest/assert"
)

func TestHeaderNamesAreCaseInsensitive(t *testing.T) {
	h := Header{}
	h.Add("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
	for _, name := range []string{"Sec-WebSocket-Key", "sec-websocket-key", "SEC-WEBSOCKET-KEY", "sEc-WeBsOcKeT-kEy"} {
		assert.Equal(t, "dGhlIHNhbXBsZSBub25jZQ==", h.Get(name), "field names are case-insensitive (RFC 9110 §5.1): Get(%q) must find it", name)
		assert.Equal(t, []string{"dGhlIHNhbXBsZSBub25jZQ=="}, h.Values(name), "Values(%q) must find it too", name)
	}
	assert.Equal(t, "", h.Get("Upgrade"), "Get returns \"\" for a field the request does not have")
	assert.Empty(t, h.Values("Upgrade"), "Values returns nothing for a field the request does not have")
}
