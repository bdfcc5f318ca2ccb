package browser

import (
	"bytes"
	"fmt"
	"image"
	_ "image/png"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// page serves one HTML page (its body is html) from a plain HTTP server that
// the test stops at its end.
func page(t *testing.T, html string) string {
	t.Helper()
	srv := httptest.NewServer(handler(html))
	t.Cleanup(srv.Close)
	return srv.URL
}

// tlsPage serves over HTTPS, with httptest's self-signed certificate, as
// the chat server's wss:// test does: one HTML page, made from the server's
// host:port, and a WebSocket echo at /echo.
func tlsPage(t *testing.T, html func(host string) string) string {
	t.Helper()
	mux := http.NewServeMux()
	srv := httptest.NewUnstartedServer(mux)
	mux.Handle("/", handler(html(srv.Listener.Addr().String())))
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		conn, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
		if err != nil {
			return // the Upgrader has answered the client
		}
		defer conn.Close()
		for {
			kind, msg, err := conn.ReadMessage()
			if err != nil || conn.WriteMessage(kind, msg) != nil {
				return
			}
		}
	})
	// A browser that refuses the certificate makes the server log a TLS
	// handshake error; that is expected here, not noise for the test log.
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv.URL
}

// handler answers / with a page whose body is html, and anything else with
// 404. The page's empty icon keeps Chromium from asking for /favicon.ico,
// whose 404 would show up in the console that the tests read.
func handler(html string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "<!doctype html>\n<html><head><title>test page</title><link rel=icon href=data:,></head><body>"+html+"</body></html>")
	})
}

func TestEvalReturnsTheValueOfAnExpression(t *testing.T) {
	t.Parallel()
	url := page(t, `<p id="greeting">hello</p>`)
	p := Start(t).Open(t, url)

	var sum int
	require.NoError(t, p.Eval(`1 + 2`, &sum), "Eval of 1 + 2 should succeed")
	assert.Equal(t, 3, sum, "Eval should store the value of 1 + 2")

	var text string
	require.NoError(t, p.Eval(`document.getElementById("greeting").textContent`, &text))
	assert.Equal(t, "hello", text, "Eval should see the page that Open loaded")

	var obj struct {
		Name string `json:"name"`
		N    []int  `json:"n"`
	}
	require.NoError(t, p.Eval(`({name: "chat", n: [1, 2]})`, &obj))
	assert.Equal(t, "chat", obj.Name, "Eval should decode an object as JSON")
	assert.Equal(t, []int{1, 2}, obj.N, "Eval should decode an array as JSON")

	var later string
	require.NoError(t, p.Eval(`new Promise(resolve => setTimeout(() => resolve("later"), 20))`, &later))
	assert.Equal(t, "later", later, "Eval should await a promise and store its value")

	require.NoError(t, p.Eval(`window.sideEffect = 42`, nil), "Eval with a nil out should run the expression")
	var side int
	require.NoError(t, p.Eval(`window.sideEffect`, &side))
	assert.Equal(t, 42, side, "the expression run with a nil out should have changed the page")
}

func TestScreenshotIsAPNGOfTheRequestedSize(t *testing.T) {
	p := Start(t).Open(t, page(t, `<body style="background:#0a0">green</body>`))
	png, err := p.Screenshot(320, 200)
	require.NoError(t, err)
	img, format, err := image.Decode(bytes.NewReader(png))
	require.NoError(t, err, "Screenshot must return an image")
	assert.Equal(t, "png", format)
	assert.Equal(t, image.Rect(0, 0, 320, 200), img.Bounds(), "the picture is the viewport that was asked for")
	r, g, b, _ := img.At(300, 190).RGBA()
	assert.True(t, g>>8 > 0x90 && r>>8 < 0x30 && b>>8 < 0x30, "the page's green background is in the picture: got rgb(%d,%d,%d)", r>>8, g>>8, b>>8)
}

func TestEvalReportsAnExceptionAsAnError(t *testing.T) {
	t.Parallel()
	p := Start(t).Open(t, page(t, ``))

	err := p.Eval(`(() => { throw new Error("boom") })()`, nil)
	require.Error(t, err, "Eval of an expression that throws should fail")
	assert.Contains(t, err.Error(), "boom", "the error should carry the exception's message")

	var n int
	err = p.Eval(`undefined`, &n)
	require.Error(t, err, "Eval of undefined into an int should fail rather than leave it 0")
	assert.Contains(t, err.Error(), "undefined", "the error should say the result was undefined")
}

// patience bounds the tests' waits for things that take milliseconds in a
// working browser; it only bounds a hang, so it is generous.
var patience = patient(30 * time.Second)

func TestWaitForReturnsWhenTheConditionBecomesTrue(t *testing.T) {
	t.Parallel()
	p := Start(t).Open(t, page(t, `<script>window.polls = 0</script>`))

	// The expression counts its evaluations, so the test can see WaitFor
	// poll a false condition before the test makes it true: no timer in the
	// page, so no race with a slow machine.
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

func TestWaitForTimesOutWithAnErrorThatExplainsItself(t *testing.T) {
	t.Parallel()
	// Both are logged while the page loads, so Open has seen them: the
	// error of WaitFor must show them whatever the speed of the machine.
	p := Start(t).Open(t, page(t, `<script>
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

func TestTwoPagesOfOneBrowserWorkAtTheSameTime(t *testing.T) {
	t.Parallel()
	// Like two chat clients: each page listens on a BroadcastChannel and
	// keeps what it hears; the test sends from one and waits in the other.
	url := page(t, `<script>
		window.heard = [];
		window.channel = new BroadcastChannel("chat");
		channel.onmessage = (e) => heard.push(e.data);
	</script>`)
	b := Start(t)
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
	t.Parallel()
	url := tlsPage(t, func(host string) string { return `<p>secret</p>` + wssScript(host) })
	require.True(t, strings.HasPrefix(url, "https://"), "the TLS test server should serve https://")
	p := Start(t, IgnoreCertificateErrors()).Open(t, url)

	var protocol string
	require.NoError(t, p.Eval(`location.protocol + " " + document.querySelector("p").textContent`, &protocol))
	assert.Equal(t, "https: secret", protocol, "the page should have loaded over https despite the self-signed certificate")
	require.NoError(t, p.WaitFor(`window.echoed === "ping"`, patience), "the wss:// connection to the same server should work too")
}

func TestASelfSignedCertificateIsRefusedByDefault(t *testing.T) {
	t.Parallel()
	url := tlsPage(t, func(string) string { return `<p>secret</p>` })
	b := Start(t)

	// The refusal is Chromium's answer to Page.navigate (its errorText),
	// which comes with the reply itself: nothing to wait for.
	_, err := b.open(t, url)
	require.Error(t, err, "without IgnoreCertificateErrors, Chromium should refuse to load an https:// page with a self-signed certificate")
	var loadErr *chromedp.LoadError
	require.ErrorAs(t, err, &loadErr, "Open's error should be Chromium's refusal to load the page, not a time-out")
	assert.Equal(t, "net::ERR_CERT_AUTHORITY_INVALID", loadErr.ErrorText, "Chromium should refuse the page for its certificate")
	assert.Contains(t, err.Error(), "net::ERR_CERT_AUTHORITY_INVALID", "Open's error should be Chromium's certificate error, so that a test that forgot the option says why")
	assert.Contains(t, err.Error(), url, "Open's error should name the page")

	// A plain http:// page can still load, but its wss:// connection to the
	// server with the self-signed certificate fails, and the console says why.
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
	assert.Contains(t, strings.Join(p.Console(), "\n"), "net::ERR_CERT_AUTHORITY_INVALID", "the console should say that the wss:// connection failed on the certificate")
}

// startTimeoutOf is an Option that shortens Start's time limit, so that a
// test can see it work in a second.
func startTimeoutOf(d time.Duration) Option {
	return func(c *config) { c.startTimeout = d }
}

// loadTimeoutOf is an Option that shortens the time Open waits for a page to
// load (not for the tab to open), so that a test can see it work.
func loadTimeoutOf(d time.Duration) Option {
	return func(c *config) { c.loadTimeout = d }
}

func TestStartFailsWithinItsTimeLimitWhenTheBrowserHangs(t *testing.T) {
	// A "browser" that starts and then never says a word, for longer than
	// the test would ever wait.
	fake := filepath.Join(t.TempDir(), "hanging-chromium")
	require.NoError(t, os.WriteFile(fake, []byte("#!/bin/sh\nexec sleep 600\n"), 0o755))
	t.Setenv("CHROMIUM", fake)

	r := &recorder{TB: t}
	start := time.Now()
	done := make(chan struct{})
	go func() {
		defer close(done)
		Start(r, startTimeoutOf(time.Second))
		t.Error("Start returned a browser from a program that never answered")
	}()
	<-done
	elapsed := time.Since(start)
	assert.GreaterOrEqual(t, elapsed, time.Second, "Start should wait for its whole time limit")
	assert.Less(t, elapsed, time.Second+patience, "Start should give up at its time limit, not wait for the program")
	assert.Contains(t, r.fatal, "no answer within 1s", "the failure should say that the browser did not answer in time")
	assert.Contains(t, r.fatal, fake, "the failure should name the program it started")
}

func TestOpenFailsWithinItsTimeLimitWhenThePageNeverLoads(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<!doctype html><p>loading for ever")
		w.(http.Flusher).Flush()
		select { // the body never ends, so the page never loads
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) }) // runs first: Close waits for the handler
	// Only the load is limited to 2 s; opening the tab keeps its own,
	// generous limit, so a busy machine cannot turn this into another error.
	b := Start(t, loadTimeoutOf(2*time.Second))

	start := time.Now()
	_, err := b.open(t, srv.URL)
	require.Error(t, err, "Open should fail on a page that never finishes loading")
	assert.Contains(t, err.Error(), "did not load within 2s", "the error should say that the page did not load in time")
	assert.Less(t, time.Since(start), 2*time.Second+tabTimeout+patience, "Open should give up at its time limit, not wait for the page")
}

func TestFindTakesTheBrowserThatCHROMIUMNames(t *testing.T) {
	t.Setenv("CHROMIUM", "/nonexistent/chromium")
	_, err := Find()
	require.Error(t, err, "Find should fail when CHROMIUM names no executable")
	assert.Contains(t, err.Error(), "/nonexistent/chromium", "the error should name the path in CHROMIUM")

	self, err := os.Executable()
	require.NoError(t, err)
	t.Setenv("CHROMIUM", self) // any executable will do: Find does not run it
	path, err := Find()
	require.NoError(t, err, "Find should accept the executable that CHROMIUM names")
	assert.Equal(t, self, path, "Find should return the path in CHROMIUM as it is")
}

// recorder is a testing.TB that records how Start ended: skip, fatal, or
// neither. Skip and Fatal end the goroutine, as they do in a real test.
type recorder struct {
	testing.TB
	mu      sync.Mutex
	skipped string
	fatal   string
}

func (r *recorder) Helper() {}

func (r *recorder) Skipf(format string, args ...any) {
	r.mu.Lock()
	r.skipped = fmt.Sprintf(format, args...)
	r.mu.Unlock()
	runtime.Goexit()
}

func (r *recorder) Fatalf(format string, args ...any) {
	r.mu.Lock()
	r.fatal = fmt.Sprintf(format, args...)
	r.mu.Unlock()
	runtime.Goexit()
}

// startWithout runs Start with no browser to be found, in a goroutine of its
// own so that Skip and Fatal can end it, and returns the recorder.
func startWithout(t *testing.T) *recorder {
	t.Setenv("CHROMIUM", "/nonexistent/chromium")
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		Start(r)
		t.Error("Start returned a browser although there is none")
	}()
	<-done
	return r
}

func TestStartSkipsWhenNoBrowserIsFound(t *testing.T) {
	t.Setenv("CI", "")
	r := startWithout(t)
	assert.Empty(t, r.fatal, "Start should not fail the test outside CI")
	assert.Contains(t, r.skipped, "apt-get install -y chromium", "the skip message should name the package to install")
}

func TestStartFailsInsteadOfSkippingWhenCIIsSet(t *testing.T) {
	t.Setenv("CI", "true")
	r := startWithout(t)
	assert.Empty(t, r.skipped, "Start must not skip in CI, where a skip would pass unnoticed")
	assert.Contains(t, r.fatal, "CI is set", "the failure should say why it did not skip")
	assert.Contains(t, r.fatal, "apt-get install -y chromium", "the failure should name the package to install")
}
