// Package e2e drives the chat server with real browsers: in Chromium and in
// Firefox, two pages join the chat, and what one says appears in the
// other, over ws:// and over wss:// with a self-signed certificate. It is
// the proof that the workshop's server, built from raw TCP, works with the
// clients it was built for.
//
// It runs on every step that serves the chat (step 10, and step 11's
// hardened server, where a page of another origin must also be refused:
// origin_test.go). make test runs it on the reference solutions; make e2e
// runs it on the learner's own steps/, through the -yours flag
// (server_test.go), leaving out a step 11 that is not finished yet. make
// screenshot takes docs/images/chat.png from it, through the -screenshot
// flag.
//
// The browsers come from Debian's chromium and firefox-esr packages;
// .ci/run installs them. On a machine without one, its tests skip with
// the command that installs it, except in CI, where they fail.
package e2e

import (
	"bytes"
	"crypto/tls"
	"flag"
	"fmt"
	"image"
	_ "image/png"
	"os"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wsfromtcp/workshop/tools/browser"
	"github.com/wsfromtcp/workshop/tools/chatkit"
	"github.com/wsfromtcp/workshop/tools/wstest"
)

// patience bounds each wait for the page. A message on loopback takes
// milliseconds, but a browser on a loaded 2-core CI machine can be slow by
// seconds, and the limit only bounds a hang, so it is generous: ten times
// wstest.Patience, 30 s (more under -race and with WORKSHOP_PATIENCE).
var patience = 10 * wstest.Patience

// screenshot is where make screenshot has the picture of the chat written:
// bob's page in Chromium over ws://, at the end of the conversation.
var screenshot = flag.String("screenshot", "", "write bob's page in Chromium over ws://, at the end of the chat, to this PNG file (make screenshot)")

// The picture's size, in CSS pixels: the chat page's column, and the whole
// page (556 pixels high with Debian's fonts) with room to spare, so that
// there is no scroll bar.
const shotWidth, shotHeight = 640, 600

// TestTwoBrowserPagesChat runs the chat in each browser, on each chat
// server, over ws:// and over wss://. One browser serves both schemes: it
// accepts the self-signed certificate of wss://, which ws:// never asks
// about, and a browser's start is the slow part of the test.
func TestTwoBrowserPagesChat(t *testing.T) {
	for _, k := range browser.Kinds {
		t.Run(string(k), func(t *testing.T) {
			t.Parallel()
			b := browser.Start(t, k, browser.IgnoreCertificateErrors())
			browsersRun.Add(1)
			for _, s := range servers {
				t.Run(fmt.Sprintf("step%d/ws", s.step), func(t *testing.T) {
					bob := chatInTwoPages(t, b, s, "http", "ws:", nil)
					if k == browser.Chromium && s.step == servers[0].step {
						takeScreenshot(t, bob)
					}
				})
				t.Run(fmt.Sprintf("step%d/wss", s.step), func(t *testing.T) {
					cert, err := chatkit.SelfSigned("127.0.0.1")
					require.NoError(t, err)
					chatInTwoPages(t, b, s, "https", "wss:", chatkit.ServerConfig(cert))
				})
			}
		})
	}
}

// chatInTwoPages starts the chat server, opens two pages on it, joins as
// ann and bob, and checks that each one's message appears in the other's
// page, with the WebSocket on the expected scheme. It returns bob's page.
func chatInTwoPages(t *testing.T, b *browser.Browser, s chatServer, scheme, wsScheme string, config *tls.Config) *browser.Page {
	srv, err := s.listen("127.0.0.1:0", config)
	require.NoError(t, err, "the chat server of step %d should listen", s.step)
	t.Cleanup(func() { srv.Close() })
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
	waitFor(t, bob, "bob's page shows bob's own message too: a say goes to everyone, the speaker included (docs/10-chat.md)", `logHas("say", "bob: hi ann, bob here <b>not bold</b>")`)
	return bob
}

// takeScreenshot takes the picture of the page, from its top and without
// the text field's focus and caret (which blinks, so that two pictures
// would differ), checks
// that it is one, and writes it where -screenshot says.
func takeScreenshot(t *testing.T, p *browser.Page) {
	require.NoError(t, p.Eval(`document.activeElement.blur(); window.scrollTo(0, 0); true`, nil))
	png, err := p.Screenshot(shotWidth, shotHeight)
	require.NoError(t, err)
	img, _, err := image.Decode(bytes.NewReader(png))
	require.NoError(t, err, "the screenshot should be a PNG")
	assert.Equal(t, image.Rect(0, 0, shotWidth, shotHeight), img.Bounds(), "the screenshot should be of the size asked for")
	if *screenshot != "" {
		require.NoError(t, os.WriteFile(*screenshot, png, 0o644))
		t.Logf("wrote %s", *screenshot)
	}
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
