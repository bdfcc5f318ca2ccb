package browser

import (
	"bytes"
	"image"
	_ "image/png"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pageTests are what a test does with the pages of a browser. They run
// together, in each browser, on one browser started for them all: the start
// is the slow part (seconds, and for Firefox on a busy machine half a
// minute), and pages of one browser are independent of each other.
var pageTests = []struct {
	name string
	test func(t *testing.T, b *Browser)
}{
	{"EvalReturnsTheValueOfAnExpression", testEvalReturnsTheValueOfAnExpression},
	{"EvalReportsAnExceptionAsAnError", testEvalReportsAnExceptionAsAnError},
	{"ScreenshotIsAPNGOfTheRequestedSize", testScreenshotIsAPNGOfTheRequestedSize},
	{"WaitForReturnsWhenTheConditionBecomesTrue", testWaitForReturnsWhenTheConditionBecomesTrue},
	{"WaitForTimesOutWithAnErrorThatExplainsItself", testWaitForTimesOutWithAnErrorThatExplainsItself},
	{"TwoPagesOfOneBrowserWorkAtTheSameTime", testTwoPagesOfOneBrowserWorkAtTheSameTime},
	{"ASelfSignedCertificateIsRefusedByDefault", testASelfSignedCertificateIsRefusedByDefault},
	{"OpenFailsWithinItsTimeLimitWhenThePageNeverLoads", testOpenFailsWithinItsTimeLimitWhenThePageNeverLoads},
}

func TestPagesOfEachBrowser(t *testing.T) {
	eachBrowser(t, func(t *testing.T, k Kind) {
		b := Start(t, k)
		for _, pt := range pageTests {
			t.Run(pt.name, func(t *testing.T) {
				t.Parallel()
				pt.test(t, b)
			})
		}
	})
}

func testEvalReturnsTheValueOfAnExpression(t *testing.T, b *Browser) {
	url := page(t, `<p id="greeting">hello</p>`)
	p := b.Open(t, url)

	var sum int
	require.NoError(t, p.Eval(`1 + 2`, &sum), "Eval of 1 + 2 should succeed")
	assert.Equal(t, 3, sum, "Eval should store the value of 1 + 2")

	var text string
	require.NoError(t, p.Eval(`document.getElementById("greeting").textContent`, &text))
	assert.Equal(t, "hello", text, "Eval should see the page that Open loaded")

	var obj struct {
		Name  string  `json:"name"`
		N     []int   `json:"n"`
		Half  float64 `json:"half"`
		Empty any     `json:"empty"`
	}
	require.NoError(t, p.Eval(`({name: "chat", n: [1, 2], half: 0.5, empty: null})`, &obj))
	assert.Equal(t, "chat", obj.Name, "Eval should decode an object as JSON")
	assert.Equal(t, []int{1, 2}, obj.N, "Eval should decode an array as JSON")
	assert.Equal(t, 0.5, obj.Half, "Eval should keep a fraction")
	assert.Nil(t, obj.Empty, "Eval should give null as null")

	var later string
	require.NoError(t, p.Eval(`new Promise(resolve => setTimeout(() => resolve("later"), 20))`, &later))
	assert.Equal(t, "later", later, "Eval should await a promise and store its value")

	require.NoError(t, p.Eval(`window.sideEffect = 42`, nil), "Eval with a nil out should run the expression")
	var side int
	require.NoError(t, p.Eval(`window.sideEffect`, &side))
	assert.Equal(t, 42, side, "the expression run with a nil out should have changed the page")

	var last bool
	require.NoError(t, p.Eval(`window.a = 1; window.b = 2; a + b === 3`, &last))
	assert.True(t, last, "Eval of statements should give the value of the last one, as the e2e tests use it")
}

func testScreenshotIsAPNGOfTheRequestedSize(t *testing.T, b *Browser) {
	p := b.Open(t, page(t, `<body style="background:#0a0">green</body>`))
	png, err := p.Screenshot(320, 200)
	require.NoError(t, err)
	img, format, err := image.Decode(bytes.NewReader(png))
	require.NoError(t, err, "Screenshot must return an image")
	assert.Equal(t, "png", format)
	assert.Equal(t, image.Rect(0, 0, 320, 200), img.Bounds(), "the picture is the viewport that was asked for")
	red, green, blue, _ := img.At(300, 190).RGBA()
	assert.True(t, green>>8 > 0x90 && red>>8 < 0x30 && blue>>8 < 0x30, "the page's green background is in the picture: got rgb(%d,%d,%d)", red>>8, green>>8, blue>>8)
}

func testEvalReportsAnExceptionAsAnError(t *testing.T, b *Browser) {
	p := b.Open(t, page(t, ``))

	err := p.Eval(`(() => { throw new Error("boom") })()`, nil)
	require.Error(t, err, "Eval of an expression that throws should fail")
	assert.Contains(t, err.Error(), "boom", "the error should carry the exception's message")

	var n int
	err = p.Eval(`undefined`, &n)
	require.Error(t, err, "Eval of undefined into an int should fail rather than leave it 0")
	assert.Contains(t, err.Error(), "undefined", "the error should say the result was undefined")
}

func testWaitForReturnsWhenTheConditionBecomesTrue(t *testing.T, b *Browser) {
	p := b.Open(t, page(t, `<script>window.polls = 0</script>`))

	// The expression counts its evaluations, so the test can see WaitFor
	// poll a false condition before the test makes it true: no timer in
	// the page, so no race with a slow machine.
	const expr = `(window.polls++, window.ready === true)`
	waited := make(chan error, 1)
	start := time.Now()
	go func() { waited <- p.WaitFor(expr, 4*patience) }()
	require.NoError(t, p.WaitFor(`window.polls >= 2`, patience), "WaitFor should evaluate its expression again and again while it is false")
	select {
	case err := <-waited:
		t.Fatalf("WaitFor returned while its condition was false: %v", err)
	default:
	}
	require.NoError(t, p.Eval(`window.ready = true`, nil))

	select {
	case err := <-waited:
		require.NoError(t, err, "WaitFor should see window.ready once it is set")
	case <-time.After(2 * patience):
		t.Fatal("WaitFor did not return after its condition became true")
	}
	assert.Less(t, time.Since(start), 4*patience, "WaitFor should return when the condition becomes true, not at its timeout")
}

func testWaitForTimesOutWithAnErrorThatExplainsItself(t *testing.T, b *Browser) {
	// Both are logged while the page loads, before its load event, so
	// they are on their way before Open returns: the error of WaitFor,
	// 500 ms later, shows them whatever the speed of the machine.
	p := b.Open(t, page(t, `<script>
		console.log("chat: connecting to", "ws://example.invalid/chat");
	</script><script>
		throw new Error("socket exploded");
	</script>`))

	const expr = `document.body.textContent.includes("a message that never comes")`
	start := time.Now()
	err := p.WaitFor(expr, 500*time.Millisecond)
	elapsed := time.Since(start)

	require.Error(t, err, "WaitFor should fail when the condition never becomes true")
	msg := err.Error()
	t.Logf("the error of WaitFor, as a failing test would show it:\n%s", msg)
	assert.Contains(t, msg, expr, "the error should name the expression that was awaited")
	assert.Contains(t, msg, "500ms", "the error should say how long it waited")
	assert.Contains(t, msg, "false", "the error should say what the expression last gave")
	assert.Contains(t, msg, "chat: connecting to ws://example.invalid/chat", "the error should include what the page logged to its console")
	assert.Contains(t, msg, "socket exploded", "the error should include the page's uncaught exception")
	assert.GreaterOrEqual(t, elapsed, 500*time.Millisecond, "WaitFor should wait for its whole timeout")
	assert.Less(t, elapsed, 500*time.Millisecond+patience, "WaitFor should give up at its timeout, not wait on")

	assert.Contains(t, p.Console(), "log: chat: connecting to ws://example.invalid/chat", "Console should list the console.log call as type: text")
}

func testTwoPagesOfOneBrowserWorkAtTheSameTime(t *testing.T, b *Browser) {
	// Like two chat clients: each page listens on a BroadcastChannel and
	// keeps what it hears; the test sends from one and waits in the other.
	url := page(t, `<script>
		window.heard = [];
		window.channel = new BroadcastChannel("chat");
		channel.onmessage = (e) => heard.push(e.data);
	</script>`)
	alice, bob := b.Open(t, url), b.Open(t, url)

	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, p := range []*Page{alice, bob} {
		wg.Go(func() {
			errs[i] = p.WaitFor(`heard.length === 1`, patience)
		})
	}
	require.NoError(t, alice.Eval(`channel.postMessage("hi bob"), true`, nil))
	require.NoError(t, bob.Eval(`channel.postMessage("hi alice"), true`, nil))
	wg.Wait()
	require.NoError(t, errs[0], "alice's page should hear bob while both pages are waited on at once")
	require.NoError(t, errs[1], "bob's page should hear alice while both pages are waited on at once")

	var heard string
	require.NoError(t, bob.Eval(`heard[0]`, &heard))
	assert.Equal(t, "hi bob", heard, "bob's page should have heard alice's message")
	require.NoError(t, alice.Eval(`heard[0]`, &heard))
	assert.Equal(t, "hi alice", heard, "alice's page should have heard bob's message")
}

// wssScript is a page's script that opens a WebSocket to the echo handler
// of the TLS server at host, sends "ping" and keeps the answer in
// window.echoed, as a chat page over wss:// would.
func wssScript(host string) string {
	return `<script>
		const ws = new WebSocket("wss://` + host + `/echo");
		ws.onopen = () => ws.send("ping");
		ws.onmessage = (e) => { window.echoed = e.data };
	</script>`
}

func TestASelfSignedCertificateIsAcceptedWithIgnoreCertificateErrors(t *testing.T) {
	eachBrowser(t, func(t *testing.T, k Kind) {
		url := tlsPage(t, func(host string) string { return `<p>secret</p>` + wssScript(host) })
		require.True(t, strings.HasPrefix(url, "https://"), "the TLS test server should serve https://")
		p := Start(t, k, IgnoreCertificateErrors()).Open(t, url)

		var protocol string
		require.NoError(t, p.Eval(`location.protocol + " " + document.querySelector("p").textContent`, &protocol))
		assert.Equal(t, "https: secret", protocol, "the page should have loaded over https despite the self-signed certificate")
		require.NoError(t, p.WaitFor(`window.echoed === "ping"`, patience), "the wss:// connection to the same server should work too")
	})
}

// refusal is how each browser refuses a self-signed certificate: the
// reason in Open's error, and what the console says of a wss:// connection
// to such a server.
var refusal = map[Kind]struct{ open, console string }{
	Chromium: {open: "net::ERR_CERT_AUTHORITY_INVALID", console: "net::ERR_CERT_AUTHORITY_INVALID"},
	Firefox:  {open: "MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT", console: "can’t establish a connection to the server at wss://"},
}

func testASelfSignedCertificateIsRefusedByDefault(t *testing.T, b *Browser) {
	url := tlsPage(t, func(string) string { return `<p>secret</p>` })

	// The refusal is the browser's answer to the navigation, which comes
	// with the reply itself: nothing to wait for.
	_, err := b.open(t, url)
	require.Error(t, err, "without IgnoreCertificateErrors, the browser should refuse to load an https:// page with a self-signed certificate")
	assert.Contains(t, err.Error(), refusal[b.kind].open, "Open's error should be the browser's certificate error, so that a test that forgot the option says why")
	assert.Contains(t, err.Error(), url, "Open's error should name the page")
	if b.kind == Chromium {
		var loadErr *chromedp.LoadError
		require.ErrorAs(t, err, &loadErr, "Open's error should be Chromium's refusal to load the page, not a time-out")
		assert.Equal(t, refusal[b.kind].open, loadErr.ErrorText, "Chromium should refuse the page for its certificate")
	}

	// A plain http:// page can still load, but its wss:// connection to
	// the server with the self-signed certificate fails, and the console
	// says so.
	host := strings.TrimPrefix(url, "https://")
	p := b.Open(t, page(t, wssScript(host)))
	// Chromium 156 fires error but not close here, so the wait is on the state.
	require.NoError(t, p.WaitFor(`ws.readyState === WebSocket.CLOSED`, patience), "the wss:// connection should fail and end up closed")
	var echoed bool
	require.NoError(t, p.Eval(`window.echoed !== undefined`, &echoed))
	assert.False(t, echoed, "the wss:// connection should never have opened")
	// Chromium logs the failure before it closes the socket (Blink's
	// WebSocketChannelImpl::Fail adds the console message, then posts the
	// task that closes), and Console holds every message sent before the
	// reply that showed CLOSED: so the reason is there, however slow the
	// machine.
	assert.Contains(t, strings.Join(p.Console(), "\n"), refusal[b.kind].console, "the console should say that the wss:// connection failed")
}
