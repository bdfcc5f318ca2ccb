// Package browser drives headless Chromium from Go tests, so that an
// end-to-end test can open real browser pages on a server it started and
// check what a person would see: for the workshop, that a chat message sent
// from one page shows up in another, over ws:// and wss://.
//
// It is a thin layer over github.com/chromedp/chromedp that every test would
// otherwise write again: it finds the browser, skips or fails when there is
// none, bounds every call in time, keeps each page's console for failure
// messages, and leaves no Chromium process behind.
//
// # The flags
//
// Start runs Chromium with these flags. Each one is there because a CI
// machine (a bare Debian machine, run as root, with no display, no GPU and no
// network but loopback) needs it:
//
//   - --headless: there is no display to draw a window on.
//   - --no-sandbox: CI runs as root, and Chromium refuses to start its
//     sandbox as root ("Running as root without --no-sandbox is not
//     supported"). The pages are the test's own, on loopback.
//   - --disable-gpu: there is no GPU; without it Chromium probes for one and
//     logs errors while it falls back to software rendering.
//   - --disable-quic: Chromium would otherwise try QUIC (HTTP/3 over UDP)
//     towards Google's servers. The network is loopback only, so those
//     packets are refused, and traffic that leaves the machine is unwelcome
//     on a CI runner.
//   - --no-first-run: skips the first-run work of a new profile (welcome
//     page, default-browser prompt, imports), which costs time at every start
//     because every start has a new profile.
//   - --disable-background-networking: stops the requests Chromium makes on
//     its own (field-trial seeds, safe-browsing lists, translate, …). On the
//     closed network they are refused, and they slow the start down.
//   - --disable-component-update: stops the download of components (CRL sets,
//     codecs, …) at start, for the same reason.
//   - --disable-sync: no connection to Google account sync.
//   - --user-data-dir=<t.TempDir()>/profile: a new, empty profile for each
//     test, so that no cookie, cache, HSTS entry or localStorage leaks from
//     one test or run to the next, two browsers never fight over one
//     profile's lock, and the profile is deleted with the test.
//   - --ignore-certificate-errors, only with [IgnoreCertificateErrors]: a test
//     server from httptest.NewTLSServer has a self-signed certificate, which
//     Chromium refuses for https:// pages and wss:// connections alike.
//
// chromedp adds --remote-debugging-pipe, so that the test talks to the
// browser over two inherited file descriptors and no debugging port is
// opened. Debian's /usr/bin/chromium is a wrapper script that adds a few
// flags of its own, among them --disable-dev-shm-usage when /dev/shm is too
// small for Chromium, as it is in many containers.
//
// # No process left behind
//
// Chromium always starts two crash handlers (chrome_crashpad_handler), which
// detach from the browser and keep their database under $XDG_CONFIG_HOME;
// Start points that variable into the test's directory too, so the handlers
// write nothing to the home directory and can be told apart from another
// browser's. (--disable-crashpad-for-testing would spare them, but with
// Debian's Chromium 156 it makes the network service crash at once.) At
// t.Cleanup, Start closes the browser, kills every process whose command line
// names the test's directory, and waits until they are dead. (A dead helper
// may linger as a zombie for a moment, until init collects it; it holds
// nothing but its process table entry.)
//
// # Installing the browser
//
// On Debian: apt-get install -y chromium. Find looks for a binary named
// chromium, chromium-browser, google-chrome or google-chrome-stable on PATH,
// or takes the one that the environment variable CHROMIUM names. Without a
// browser, Start skips the test, except when the environment variable CI is
// set: a CI run must never pass by silently skipping its browser tests.
package browser

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/wsfromtcp/workshop/tools/wstest"
)

// These bound every call, so that a browser that hangs fails the test
// instead of holding it until go test's own ten-minute timeout. They only
// bound a hang: a browser that works answers in milliseconds, and one on a
// loaded 2-core machine (where Chromium's start alone has taken over 10 s)
// must never fail a test by being slow. So they are generous, and they grow
// with WORKSHOP_PATIENCE as wstest.Patience does (docs/instructors.md).
var (
	// startTimeout is how long Start waits for Chromium to start and answer.
	startTimeout = patient(60 * time.Second)
	// tabTimeout is how long Open waits for Chromium to open a new tab.
	tabTimeout = patient(30 * time.Second)
	// loadTimeout is how long Open waits for the tab to load its page.
	loadTimeout = patient(30 * time.Second)
	// evalTimeout is how long Eval waits for an expression (and its promise).
	evalTimeout = patient(30 * time.Second)
)

// patient stretches d by the factor in WORKSHOP_PATIENCE.
func patient(d time.Duration) time.Duration {
	return time.Duration(float64(d) * wstest.PatienceFactor())
}

const (
	// closeTimeout is how long the cleanup waits for Chromium to close
	// gracefully before it kills it.
	closeTimeout = 5 * time.Second
	// syncTimeout bounds how long Console waits for the messages that
	// Chromium has already sent to be recorded, which takes microseconds.
	syncTimeout = 10 * time.Second
	// pollInterval is how often WaitFor evaluates its expression.
	pollInterval = 50 * time.Millisecond
	// keptMessages is how many console messages a Page keeps; older ones are
	// dropped so that a chatty page cannot grow without bound.
	keptMessages = 1000
	// shownMessages is how many of the most recent console messages an error
	// shows.
	shownMessages = 20
)

// installHint names the package to install, for the messages of Start.
const installHint = "install Debian's chromium package (apt-get install -y chromium), or set CHROMIUM to the path of a Chromium or Chrome binary"

// Browser is one headless Chromium process that belongs to one test. Its
// pages are tabs of that process.
type Browser struct {
	ctx    context.Context // the chromedp context of the browser's first tab
	dir    string          // holds the profile and the crash database
	output *tailBuffer     // the end of Chromium's output

	tabTimeout, loadTimeout time.Duration
}

// Option changes how Start runs Chromium.
type Option func(*config)

type config struct {
	ignoreCertErrors bool
	// The tests shorten these to see the time limits work.
	startTimeout time.Duration
	tabTimeout   time.Duration
	loadTimeout  time.Duration
}

// IgnoreCertificateErrors makes Chromium accept any TLS certificate, so that
// pages and wss:// connections work against a server with a self-signed
// certificate, such as one from httptest.NewTLSServer.
func IgnoreCertificateErrors() Option {
	return func(c *config) { c.ignoreCertErrors = true }
}

// candidates are the names Find looks for on PATH, in order.
var candidates = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

// Find returns the path of a Chromium or Chrome binary: $CHROMIUM if set,
// else the first of chromium, chromium-browser, google-chrome,
// google-chrome-stable on PATH. It exists so that a test, or a script, can
// tell whether the browser tests can run here.
func Find() (string, error) {
	if p := os.Getenv("CHROMIUM"); p != "" {
		path, err := exec.LookPath(p)
		if err != nil {
			return "", fmt.Errorf("browser: CHROMIUM=%s is not an executable browser: %w", p, err)
		}
		return path, nil
	}
	for _, name := range candidates {
		if path, err := exec.LookPath(name); err == nil {
			return path, nil
		}
	}
	return "", fmt.Errorf("browser: no Chromium or Chrome on PATH (looked for %s)", strings.Join(candidates, ", "))
}

// Start launches headless Chromium for the test and stops it at t.Cleanup,
// killing any process of it that is left. When no browser is found it calls
// t.Skip with a message naming the package to install, unless the
// environment variable CI is set, in which case it fails the test: a CI run
// must never skip the browser test silently. It fails the test when Chromium
// does not start within 60 s (more with WORKSHOP_PATIENCE).
func Start(t testing.TB, opts ...Option) *Browser {
	t.Helper()
	path, err := Find()
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%v\nCI is set, so the browser test fails instead of skipping: %s", err, installHint)
		}
		t.Skipf("%v\nskipping the browser test: %s", err, installHint)
	}
	cfg := config{startTimeout: startTimeout, tabTimeout: tabTimeout, loadTimeout: loadTimeout}
	for _, o := range opts {
		o(&cfg)
	}

	b := &Browser{dir: t.TempDir(), tabTimeout: cfg.tabTimeout, loadTimeout: cfg.loadTimeout, output: &tailBuffer{max: 8 << 10}}
	flags := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(filepath.Join(b.dir, "profile")),
		// Chromium's crash handlers keep their database under
		// $XDG_CONFIG_HOME (~/.config by default): here, it is the test's.
		chromedp.Env("XDG_CONFIG_HOME=" + filepath.Join(b.dir, "config")),
		chromedp.CombinedOutput(b.output),
	}
	if cfg.ignoreCertErrors {
		flags = append(flags, chromedp.Flag("ignore-certificate-errors", true))
	}
	allocCtx, allocCancel := chromedp.NewExecAllocator(context.Background(), flags...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	b.ctx = ctx
	// Registered after t.TempDir, so it runs before the profile is removed.
	t.Cleanup(func() {
		procs := processesUsing(b.dir)
		cctx, ccancel := context.WithTimeout(ctx, closeTimeout)
		_ = chromedp.Cancel(cctx) // closes gracefully; killed below if not
		ccancel()
		cancel()
		allocCancel() // returns once chromedp has waited for the browser process
		killLeftovers(b.dir, procs)
		if t.Failed() {
			t.Logf("browser: the last output of Chromium (%s), without its D-Bus complaints:\n%s", path, b.output.withoutDBus())
		}
	})

	// The first run starts Chromium and ties its life to the context it is
	// given, so it gets the browser's own context, and the time limit is kept
	// here instead: on time-out, the context is cancelled, which kills it.
	if err := within(cfg.startTimeout, cancel, func() error { return chromedp.Do(ctx) }); err != nil {
		t.Fatalf("browser: starting %s: %v\nits output, without its D-Bus complaints:\n%s", path, err, b.output.withoutDBus())
	}
	return b
}

// Page is one tab of a Browser. Its methods may be called from any
// goroutine, and two pages can be used at the same time.
type Page struct {
	ctx context.Context
	url string

	// sent counts the console events that Chromium has sent for the page,
	// counted on chromedp's reading goroutine before any later reply is
	// read; recorded counts those that the recording goroutine has added
	// to console. Console waits until recorded catches up with sent.
	sent atomic.Int64

	mu       sync.Mutex
	console  []string
	recorded int64
	ended    bool // the recording goroutine has stopped
}

// Open opens a new tab (page) at url and waits until it has loaded (its load
// event), failing the test if the tab does not open within 30 s, the page
// does not load within 30 s more (both longer with WORKSHOP_PATIENCE), or
// the page does not load at all, such as on a refused certificate. The tab is
// closed at t.Cleanup.
func (b *Browser) Open(t testing.TB, url string) *Page {
	t.Helper()
	p, err := b.open(t, url)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// open is Open with the error returned, so that the tests can look at it.
func (b *Browser) open(t testing.TB, url string) (*Page, error) {
	// Each tab gets a window of its own (chromedp's default), so that no tab
	// is a hidden background tab whose timers Chromium throttles.
	ctx, cancel := chromedp.NewContext(b.ctx)
	t.Cleanup(cancel)
	p := &Page{ctx: ctx, url: url}

	// As in Start, the first run creates the tab and ties it to ctx.
	if err := within(b.tabTimeout, cancel, func() error { return chromedp.Do(ctx) }); err != nil {
		return nil, fmt.Errorf("browser: opening a tab for %s: %w", url, err)
	}
	// Subscribed now, before the page loads. chromedp's iterator delivers
	// the messages from a goroutine of its own, so a message can still be
	// on its way when the reply to a later command is already in: counting
	// them in a listener, which runs on the goroutine that reads Chromium's
	// messages in order, tells Console how many to wait for. The listener
	// is added after the subscription, so it never counts a message that
	// the iterator will not deliver.
	messages := chromedp.Console(ctx)
	if err := chromedp.Listen(ctx, func(ev any) {
		switch ev.(type) {
		case *cdpruntime.EventConsoleAPICalled, *cdpruntime.EventExceptionThrown, *cdplog.EventEntryAdded:
			p.sent.Add(1)
		}
	}); err != nil {
		return nil, fmt.Errorf("browser: listening to the console of the tab for %s: %w", url, err)
	}
	go func() {
		defer p.end()
		for m, err := range messages {
			if err != nil {
				return
			}
			p.record(m)
		}
	}()

	nctx, ncancel := context.WithTimeout(ctx, b.loadTimeout)
	defer ncancel()
	if err := chromedp.Do(nctx, chromedp.Navigate(url)); err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("the page did not load within %s", b.loadTimeout)
		}
		return nil, fmt.Errorf("browser: opening %s: %w%s", url, err, p.consoleReport())
	}
	return p, nil
}

// within runs f and waits at most d for it. On time-out it calls cancel,
// which must make f return, and reports the time-out. It is for the first run
// of a chromedp context, which cannot be given a context with a deadline.
func within(d time.Duration, cancel func(), f func() error) error {
	done := make(chan error, 1)
	go func() { done <- f() }()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case err := <-done:
		return err
	case <-timer.C:
		cancel()
		return fmt.Errorf("no answer within %s", d)
	}
}

// Eval evaluates a JavaScript expression in the page and stores the JSON
// result in out (may be nil); promises are awaited. An exception in the
// expression, or a result of undefined when out is not nil, is an error. It
// gives up after 30 s (more with WORKSHOP_PATIENCE), which only bounds a
// hang; use WaitFor to wait for something to happen.
func (p *Page) Eval(js string, out any) error {
	ctx, cancel := context.WithTimeout(p.ctx, evalTimeout)
	defer cancel()
	raw, err := p.eval(ctx, js)
	if err != nil {
		return fmt.Errorf("browser: evaluating `%s`: %w", js, err)
	}
	if out == nil {
		return nil
	}
	if raw == nil {
		return fmt.Errorf("browser: evaluating `%s`: the result is undefined, which has no JSON form", js)
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("browser: evaluating `%s`: decoding the result %s: %w", js, raw, err)
	}
	return nil
}

// eval returns the JSON of the expression's value, or nil for undefined.
// Screenshot returns a PNG of the page as it is shown, width by height CSS
// pixels: for pictures in the docs, and for looking at a failing page.
func (p *Page) Screenshot(width, height int) ([]byte, error) {
	ctx, cancel := context.WithTimeout(p.ctx, evalTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(width), int64(height))); err != nil {
		return nil, fmt.Errorf("browser: sizing %s to %dx%d: %w", p.url, width, height, err)
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		return nil, fmt.Errorf("browser: screenshot of %s: %w", p.url, err)
	}
	return png, nil
}

func (p *Page) eval(ctx context.Context, js string) ([]byte, error) {
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](js, chromedp.EvalAwaitPromise))
	if err != nil && errors.Is(err, context.DeadlineExceeded) {
		err = fmt.Errorf("no result within the time limit: %w", err)
	}
	return raw, err
}

// WaitFor polls the JavaScript boolean expression until it is true or the
// timeout passes. The error says what was awaited, what the expression last
// gave, and includes the page's recent console messages and any JavaScript
// exceptions, so that a failing test explains itself. Only the boolean true
// ends the wait; an exception (such as a ReferenceError while a script is
// still loading) counts as not yet.
func (p *Page) WaitFor(js string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(p.ctx, timeout)
	defer cancel()
	last := ""
	for {
		raw, err := p.eval(ctx, js)
		switch {
		case err == nil && string(raw) == "true":
			return nil
		case err == nil && raw == nil:
			last = "undefined"
		case err == nil:
			last = string(raw)
		case ctx.Err() == nil || last == "":
			// An evaluation cut short by the time-out says less than the
			// result before it, so it only counts when there is none.
			last = "the error " + err.Error()
		}
		if p.ctx.Err() != nil {
			return fmt.Errorf("browser: waiting for `%s`: the page was closed%s", js, p.consoleReport())
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("browser: waited %s for `%s` to be true; it last gave %s%s", timeout, js, last, p.consoleReport())
		case <-time.After(pollInterval):
		}
	}
}

// Console returns the console messages and exceptions of the page, oldest
// first, as "type: text" (for example "log: connected" or "exception:
// Uncaught Error: boom"), for failure messages. Messages of the browser
// itself about the page, such as a refused WebSocket connection, are there
// too, as "error (network): …".
//
// It holds every message that Chromium sent before its reply to the last
// call that returned (Open, Eval, WaitFor, Screenshot): so a message that
// the page logs before a state that Eval or WaitFor saw is always there,
// however busy the machine is.
func (p *Page) Console() []string {
	want := p.sent.Load()
	deadline := time.Now().Add(syncTimeout)
	for {
		p.mu.Lock()
		if p.recorded >= want || p.ended || time.Now().After(deadline) {
			defer p.mu.Unlock()
			return append([]string(nil), p.console...)
		}
		p.mu.Unlock()
		time.Sleep(time.Millisecond)
	}
}

func (p *Page) record(m chromedp.ConsoleMessage) {
	s := m.String()
	if m.Source != "" {
		s = fmt.Sprintf("%s (%s): %s", m.Type, m.Source, m.Text)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.recorded++
	if len(p.console) == keptMessages {
		p.console = append(p.console[:0], p.console[1:]...)
	}
	p.console = append(p.console, s)
}

// end notes that no more messages will be recorded (the tab is closed, or
// a message could not be decoded), so that Console stops waiting for them.
func (p *Page) end() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.ended = true
}

// consoleReport is the tail of the console, for an error message.
func (p *Page) consoleReport() string {
	msgs := p.Console()
	if len(msgs) == 0 {
		return "\nthe page " + p.url + " logged nothing to its console"
	}
	var b strings.Builder
	shown := msgs[max(0, len(msgs)-shownMessages):]
	fmt.Fprintf(&b, "\nconsole of %s (last %d of %d messages):", p.url, len(shown), len(msgs))
	for _, m := range shown {
		b.WriteString("\n  " + m)
	}
	return b.String()
}

// processesUsing returns the processes whose command line names a path in
// dir, with their names. Every Chromium process of a Browser does (its
// helpers have --user-data-dir, its crash handlers --database), and the
// directory is the test's own, so this finds all of one browser's processes
// and no other's. A zombie has no command line, so only live processes are
// found. It finds nothing where there is no /proc.
func processesUsing(dir string) map[int]string {
	needle := []byte(dir + string(filepath.Separator))
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	procs := map[int]string{}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		cmdline, err := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		if err != nil || !bytes.Contains(cmdline, needle) {
			continue
		}
		procs[pid] = processName(pid)
	}
	return procs
}

// processName is the name of the process pid (also of a zombie), or "" if
// there is no such process.
func processName(pid int) string {
	comm, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/comm")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(comm))
}

// zombie reports whether the process pid has died and only waits for its
// parent (or init) to collect it: the state field of /proc/pid/stat is Z.
func zombie(pid int) bool {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true // gone altogether
	}
	// stat is "pid (comm) state ppid …", and comm may hold spaces or ")".
	end := bytes.LastIndexByte(stat, ')')
	return end < 0 || end+2 >= len(stat) || stat[end+2] == 'Z'
}

// killLeftovers kills the processes using dir that are left once the
// browser process has exited, and waits, for at most 3 s, until all of them
// and all of seen (the browser's processes before it closed) are dead, so
// that no Chromium outlives its test.
func killLeftovers(dir string, seen map[int]string) {
	if seen == nil {
		seen = map[int]string{}
	}
	deadline := time.Now().Add(3 * time.Second)
	for {
		for pid, name := range processesUsing(dir) {
			if proc, err := os.FindProcess(pid); err == nil {
				_ = proc.Kill()
				_ = proc.Release()
			}
			seen[pid] = name
		}
		gone := true
		for pid, name := range seen {
			// The name check keeps a reused PID from being taken for ours.
			if now := processName(pid); now == "" || now != name {
				delete(seen, pid)
				continue
			}
			if !zombie(pid) {
				gone = false
			}
		}
		if gone || time.Now().After(deadline) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// tailBuffer keeps the last max bytes written to it: Chromium's output, for
// the message of a failed test.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if over := len(b.buf) - b.max; over > 0 {
		b.buf = append(b.buf[:0], b.buf[over:]...)
	}
	return len(p), nil
}

// withoutDBus returns the text without the lines about D-Bus, which
// Chromium writes by the dozen on a machine with no system bus (a CI machine,
// a container) and which say nothing about a failure.
func (b *tailBuffer) withoutDBus() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var kept []string
	for line := range strings.Lines(string(b.buf)) {
		if !strings.Contains(line, "dbus") {
			kept = append(kept, line)
		}
	}
	if len(kept) == 0 {
		return "(nothing)"
	}
	return strings.Join(kept, "")
}
