package browser

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// firefox runs Firefox over WebDriver BiDi.
//
// startFirefox runs it with these flags, and about:blank as the first page:
//
//   - --headless: there is no display to draw a window on.
//   - --no-remote: never hand the command to a Firefox that is already
//     running, which would open a window there and exit.
//   - --remote-debugging-port=0: turns on the Remote Agent, which serves
//     WebDriver BiDi on a WebSocket at a port of its choosing, and prints
//     "WebDriver BiDi listening on ws://127.0.0.1:PORT", which is how Start
//     learns it. The Remote Agent also sets its recommended preferences,
//     which turn off updates, telemetry and first-run pages.
//   - --profile <t.TempDir()>/profile: a new, empty profile for each test,
//     for the same reasons as Chromium's --user-data-dir.
//
// HOME, XDG_CONFIG_HOME and XDG_CACHE_HOME point into the test's directory,
// since Firefox writes there (~/.cache/mozilla, ~/Downloads) even with a
// profile of its own, and MOZ_CRASHREPORTER_DISABLE=1 spares the crash
// helper, a process that detaches from the browser. Firefox runs as root
// without complaint, and needs no flag for a missing GPU.
//
// Each Page is a browsing context of type "window", and the session's
// capability acceptInsecureCerts is what IgnoreCertificateErrors sets.
type firefox struct {
	conn *bidi

	mu   sync.Mutex
	logs map[string]*consoleLog // the console of each page, by its browsing context
}

// listening is the line in which Firefox says where WebDriver BiDi is.
var listening = regexp.MustCompile(`WebDriver BiDi listening on (ws://\S+)`)

func startFirefox(t testing.TB, path, dir string, cfg config, output *tailBuffer) (driver, error) {
	profile, home := filepath.Join(dir, "profile"), filepath.Join(dir, "home")
	for _, d := range []string{profile, home} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, err
		}
	}
	cmd := exec.Command(path, "--headless", "--no-remote", "--remote-debugging-port=0", "--profile", profile, "about:blank")
	cmd.Env = append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
		"XDG_CACHE_HOME="+filepath.Join(home, ".cache"), "MOZ_CRASHREPORTER_DISABLE=1")
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = w, w
	err = cmd.Start()
	w.Close()
	if err != nil {
		r.Close()
		return nil, err
	}
	url := make(chan string, 1)
	go watchOutput(r, output, url)
	exited := make(chan struct{})
	var waitErr error
	go func() {
		waitErr = cmd.Wait()
		close(exited)
	}()

	f := &firefox{logs: map[string]*consoleLog{}}
	// Registered after t.TempDir, so it runs before the profile is removed.
	t.Cleanup(func() {
		procs := processesOf(dir)
		if f.conn != nil { // else there is nobody to ask, and nothing to wait for
			_ = f.conn.call(time.Now().Add(closeTimeout), "browser.close", struct{}{}, nil)
			_ = f.conn.ws.Close()
			select {
			case <-exited:
			case <-time.After(closeTimeout):
			}
		}
		_ = cmd.Process.Kill() // the browser if it is still there, or what a script exec'd
		<-exited
		killLeftovers(dir, procs)
		if t.Failed() {
			t.Logf("browser: the last output of Firefox (%s):\n%s", path, output.withoutDBus())
		}
	})

	deadline := time.Now().Add(cfg.startTimeout)
	timer := time.NewTimer(cfg.startTimeout)
	defer timer.Stop()
	var bidiURL string
	select {
	case bidiURL = <-url:
	case <-exited:
		return nil, fmt.Errorf("it exited (%v) before it said where WebDriver BiDi listens", waitErr)
	case <-timer.C:
		return nil, fmt.Errorf("no answer within %s", cfg.startTimeout)
	}
	if f.conn, err = dialBiDi(bidiURL+"/session", deadline, f.event); err != nil {
		return nil, fmt.Errorf("connecting to WebDriver BiDi at %s: %w", bidiURL, err)
	}
	caps := map[string]any{"alwaysMatch": map[string]any{"acceptInsecureCerts": cfg.ignoreCertErrors}}
	err = f.conn.call(deadline, "session.new", map[string]any{"capabilities": caps}, nil)
	if err == nil {
		// For every page: each event names its page, and event routes it.
		err = f.conn.call(deadline, "session.subscribe", map[string]any{"events": []string{"log.entryAdded"}}, nil)
	}
	if timedOut(err) {
		err = fmt.Errorf("no answer within %s: %w", cfg.startTimeout, err)
	}
	if err != nil {
		return nil, err
	}
	return f, nil
}

// watchOutput copies Firefox's output into output, line by line, and sends
// the WebDriver BiDi address on url once it is there.
func watchOutput(r io.ReadCloser, output io.Writer, url chan<- string) {
	defer r.Close()
	br := bufio.NewReader(r)
	found := false
	for {
		line, err := br.ReadString('\n')
		_, _ = io.WriteString(output, line)
		if m := listening.FindStringSubmatch(line); m != nil && !found {
			url <- m[1]
			found = true
		}
		if err != nil {
			return
		}
	}
}

// event records a console message in its page's console, as
// "method: text" for the console API ("log: connected") and "level (type):
// text" for the rest ("error (javascript): Error: boom").
func (f *firefox) event(method string, params json.RawMessage) {
	if method != "log.entryAdded" {
		return
	}
	var e struct {
		Type, Method, Level, Text string
		Source                    struct{ Context string }
	}
	if json.Unmarshal(params, &e) != nil {
		return
	}
	f.mu.Lock()
	log := f.logs[e.Source.Context]
	f.mu.Unlock()
	if log == nil {
		return
	}
	s := e.Method + ": " + e.Text
	if e.Type != "console" {
		s = fmt.Sprintf("%s (%s): %s", e.Level, e.Type, e.Text)
	}
	log.announce()
	log.record(s)
}

// firefoxTab is one browsing context of Firefox.
type firefoxTab struct {
	f       *firefox
	context string
	gone    atomic.Bool // closed at t.Cleanup
}

func (f *firefox) openTab(t testing.TB, log *consoleLog, deadline time.Time) (tab, error) {
	var created struct{ Context string }
	if err := f.conn.call(deadline, "browsingContext.create", map[string]any{"type": "window"}, &created); err != nil {
		return nil, err
	}
	ft := &firefoxTab{f: f, context: created.Context}
	f.mu.Lock()
	f.logs[ft.context] = log
	f.mu.Unlock()
	t.Cleanup(func() {
		ft.gone.Store(true)
		_ = f.conn.call(time.Now().Add(closeTimeout), "browsingContext.close", map[string]any{"context": ft.context}, nil)
		f.mu.Lock()
		delete(f.logs, ft.context)
		f.mu.Unlock()
		log.end()
	})
	return ft, nil
}

func (ft *firefoxTab) navigate(url string, deadline time.Time) error {
	return ft.f.conn.call(deadline, "browsingContext.navigate", map[string]any{"context": ft.context, "url": url, "wait": "complete"}, nil)
}

func (ft *firefoxTab) eval(js string, deadline time.Time) ([]byte, error) {
	var r struct {
		Type             string
		Result           remoteValue
		ExceptionDetails struct{ Text string }
	}
	params := map[string]any{"expression": js, "target": map[string]any{"context": ft.context}, "awaitPromise": true, "resultOwnership": "none"}
	if err := ft.f.conn.call(deadline, "script.evaluate", params, &r); err != nil {
		return nil, err
	}
	if r.Type == "exception" {
		return nil, fmt.Errorf("exception: %s", r.ExceptionDetails.Text)
	}
	return r.Result.toJSON()
}

func (ft *firefoxTab) screenshot(width, height int, deadline time.Time) ([]byte, error) {
	viewport := map[string]any{"context": ft.context, "viewport": map[string]any{"width": width, "height": height}, "devicePixelRatio": 1}
	if err := ft.f.conn.call(deadline, "browsingContext.setViewport", viewport, nil); err != nil {
		return nil, fmt.Errorf("sizing the page: %w", err)
	}
	var shot struct{ Data string }
	if err := ft.f.conn.call(deadline, "browsingContext.captureScreenshot", map[string]any{"context": ft.context}, &shot); err != nil {
		return nil, err
	}
	return base64.StdEncoding.DecodeString(shot.Data)
}

func (ft *firefoxTab) closed() bool { return ft.gone.Load() || ft.f.conn.closed() }
