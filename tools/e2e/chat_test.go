// Package e2e drives the reference chat server (solutions/10-chat) with a
// real browser: two headless Chromium pages join the chat, and what one
// says appears in the other, over ws:// and over wss:// with a self-signed
// certificate. It is the proof that the workshop's server, built from raw
// TCP, works with the client it was built for.
//
// Chromium comes from Debian's chromium package; .ci/run installs it. On a
// machine without it the tests skip with a message, except in CI, where
// they fail.
package e2e

import (
	"crypto/tls"
	"fmt"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	chat "github.com/wsfromtcp/workshop/solutions/10-chat"
	"github.com/wsfromtcp/workshop/tools/browser"
	"github.com/wsfromtcp/workshop/tools/chatkit"
	"github.com/wsfromtcp/workshop/tools/wstest"
)

// patience bounds each wait for the page. A message on loopback takes
// milliseconds, but a browser on a loaded 2-core CI machine can be slow by
// seconds, and the limit only bounds a hang, so it is generous: ten times
// wstest.Patience, 30 s (more under -race and with WORKSHOP_PATIENCE).
var patience = 10 * wstest.Patience

func TestTwoBrowserPagesChatOverWS(t *testing.T) {
	chatInTwoPages(t, "http", "ws:", nil)
}

func TestTwoBrowserPagesChatOverWSSWithASelfSignedCertificate(t *testing.T) {
	cert, err := chatkit.SelfSigned("127.0.0.1")
	require.NoError(t, err)
	chatInTwoPages(t, "https", "wss:", chatkit.ServerConfig(cert), browser.IgnoreCertificateErrors())
}

// chatInTwoPages starts the chat server, opens two pages on it, joins as
// ann and bob, and checks that each one's message appears in the other's
// page, with the WebSocket on the expected scheme.
func chatInTwoPages(t *testing.T, scheme, wsScheme string, config *tls.Config, opts ...browser.Option) {
	srv, err := chat.Listen("127.0.0.1:0", config)
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })
	b := browser.Start(t, opts...)
	url := fmt.Sprintf("%s://%s/", scheme, srv.Addr())

	ann := b.Open(t, url)
	bob := b.Open(t, url)
	joinAs(t, ann, "ann")
	joinAs(t, bob, "bob")

	var wsURL string
	require.NoError(t, ann.Eval("ws.url", &wsURL))
	require.Equal(t, wsScheme, wsURL[:len(wsScheme)], "a page loaded over %s:// must open its WebSocket over %s//", scheme, wsScheme)

	waitFor(t, ann, "ann's page shows that bob joined", `logHas("notice", "bob joined")`)
	say(t, ann, "hello from ann")
	waitFor(t, bob, "bob's page shows ann's message", `logHas("say", "ann: hello from ann")`)
	say(t, bob, "hi ann, bob here <b>not bold</b>")
	waitFor(t, ann, "ann's page shows bob's message, as text", `logHas("say", "bob: hi ann, bob here <b>not bold</b>")`)
}

// logHas is defined in each page: whether the chat log has a line of the
// class with exactly this text.
const logHas = `window.logHas = (cls, text) =>
  [...document.querySelectorAll("#log li." + cls)].some((li) => li.textContent === text);`

// joinAs fills in the nickname and joins, and waits for the welcome and
// then for the page's own join notice. The server sends the welcome before
// the client joins the hub, and the notice through the hub to everyone, the
// newcomer included: only once the page shows it is the client sure to get
// what others say, so the next page's join cannot slip past it.
func joinAs(t *testing.T, p *browser.Page, nick string) {
	t.Helper()
	require.NoError(t, p.Eval(logHas, nil))
	require.NoError(t, p.Eval(`document.getElementById("nick").value = `+strconv.Quote(nick)+`;
document.getElementById("join").requestSubmit(); true`, nil))
	waitFor(t, p, nick+" is welcomed", `document.body.dataset.state === "open"`)
	waitFor(t, p, nick+"'s page shows its own join, so the hub has it", `logHas("notice", `+strconv.Quote(nick+" joined")+`)`)
}

// say types a message and sends it.
func say(t *testing.T, p *browser.Page, text string) {
	t.Helper()
	require.NoError(t, p.Eval(`document.getElementById("text").value = `+strconv.Quote(text)+`;
document.getElementById("send").requestSubmit(); true`, nil))
}

func waitFor(t *testing.T, p *browser.Page, what, js string) {
	t.Helper()
	require.NoError(t, p.WaitFor(js, patience), "%s (the page's console: %q)", what, p.Console())
}
