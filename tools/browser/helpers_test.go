package browser

import (
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"testing"

	"github.com/gorilla/websocket"

	"github.com/wsfromtcp/workshop/tools/wstest"
)

// patience bounds the tests' waits for things that take milliseconds in a
// working browser; it only bounds a hang, so it is generous.
var patience = 10 * wstest.Patience

// eachBrowser runs test once for each browser, as parallel subtests named
// after it.
func eachBrowser(t *testing.T, test func(t *testing.T, k Kind)) {
	forEachBrowser(t, true, test)
}

// eachBrowserInTurn is eachBrowser for a test that cannot run in
// parallel, such as one that calls t.Setenv.
func eachBrowserInTurn(t *testing.T, test func(t *testing.T, k Kind)) {
	forEachBrowser(t, false, test)
}

func forEachBrowser(t *testing.T, parallel bool, test func(t *testing.T, k Kind)) {
	for _, k := range Kinds {
		t.Run(string(k), func(t *testing.T) {
			if parallel {
				t.Parallel()
			}
			test(t, k)
		})
	}
}

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
// 404. The page's empty icon keeps the browser from asking for
// /favicon.ico, whose 404 would show up in the console that the tests read.
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

// startRecorded runs Start in a goroutine of its own, so that Skip and
// Fatal can end it, and returns the recorder once it has ended; a Start
// that returns a browser is an error of the test, which says why (want).
func startRecorded(t *testing.T, k Kind, want string, opts ...Option) *recorder {
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		Start(r, k, opts...)
		t.Error(want)
	}()
	<-done
	return r
}
