package e2e

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wsfromtcp/workshop/tools/browser"
)

// TestACrossOriginPageIsRefused is cross-site WebSocket hijacking, tried
// in real browsers: a page of another origin (the same host, another port)
// opens a WebSocket to the chat. The browser sends that page's Origin with
// the handshake, and a server that checks it (step 11) answers 403, so the
// page's WebSocket never opens (RFC 6455 §10.2). TestTwoBrowserPagesChat
// is the other half: the chat's own page, same origin, still chats.
func TestACrossOriginPageIsRefused(t *testing.T) {
	for _, k := range browser.Kinds {
		t.Run(string(k), func(t *testing.T) {
			t.Parallel()
			var b *browser.Browser
			for _, s := range servers {
				if !s.checksOrigin {
					continue
				}
				if b == nil {
					b = browser.Start(t, k)
					browsersRun.Add(1)
				}
				t.Run(fmt.Sprintf("step%d", s.step), func(t *testing.T) {
					chat, err := s.listen("127.0.0.1:0", nil)
					require.NoError(t, err, "the chat server of step %d should listen", s.step)
					t.Cleanup(func() { chat.Close() })
					evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
						w.Header().Set("Content-Type", "text/html; charset=utf-8")
						fmt.Fprint(w, "<!doctype html><title>another site</title><p>nothing to see here</p>")
					}))
					t.Cleanup(evil.Close)

					page := b.Open(t, evil.URL+"/")
					require.NoError(t, page.Eval(`window.result = "pending";
window.ws = new WebSocket("ws://`+chat.Addr().String()+`/ws");
ws.onopen = () => { window.result = "open"; };
ws.onclose = (e) => { if (window.result === "pending") window.result = "closed " + e.code; };
true`, nil))
					waitFor(t, page, "the page's WebSocket to the chat either opens or fails", `window.result !== "pending"`)
					var got string
					require.NoError(t, page.Eval("window.result", &got))
					assert.Equal(t, "closed 1006", got,
						"a page served from %s opened a WebSocket to the chat on %s: the server must refuse a handshake whose Origin is another site's (403), or any page on the web can act in the chat as its visitor (RFC 6455 §10.2)", evil.URL, chat.Addr())
				})
			}
		})
	}
}
