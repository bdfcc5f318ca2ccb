package browser

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/wsfromtcp/workshop/tools/wstest"
)

// Kind is a browser that Start can run.
type Kind string

// The browsers this package drives.
const (
	Chromium Kind = "chromium"
	Firefox  Kind = "firefox"
)

// Kinds lists every browser, for a test that runs in each: one subtest per
// Kind, named after it.
var Kinds = []Kind{Chromium, Firefox}

// kindInfo is how to find and start one Kind.
type kindInfo struct {
	title   string   // the name people know it by, for messages
	env     string   // the variable that names its binary
	names   []string // the names Find looks for on PATH, in order
	install string   // what to do when it is missing
	start   func(t testing.TB, path, dir string, cfg config, output *tailBuffer) (driver, error)
}

var kinds = map[Kind]kindInfo{
	Chromium: {
		title:   "Chromium or Chrome",
		env:     "CHROMIUM",
		names:   []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"},
		install: "install Debian's chromium package (apt-get install -y chromium), or set CHROMIUM to the path of a Chromium or Chrome binary",
		start:   startChromium,
	},
	Firefox: {
		title:   "Firefox",
		env:     "FIREFOX",
		names:   []string{"firefox-esr", "firefox"},
		install: "install Debian's firefox-esr package (apt-get install -y firefox-esr), or set FIREFOX to the path of a Firefox binary",
		start:   startFirefox,
	},
}

// info is the description of k; an unknown Kind is a bug in the caller.
func (k Kind) info() kindInfo {
	info, ok := kinds[k]
	if !ok {
		panic(fmt.Sprintf("browser: unknown browser %q (want one of %v)", string(k), Kinds))
	}
	return info
}

// These bound every call (see Time limits in the package doc).
var (
	// startTimeout is how long Start waits for the browser to start and answer.
	startTimeout = 20 * wstest.Patience
	// tabTimeout is how long Open waits for the browser to open a new page.
	tabTimeout = 10 * wstest.Patience
	// loadTimeout is how long Open waits for the page to load.
	loadTimeout = 10 * wstest.Patience
	// evalTimeout is how long Eval and Screenshot wait for the browser.
	evalTimeout = 10 * wstest.Patience
	// closeTimeout is how long the cleanup waits for the browser to close
	// gracefully before it kills it.
	closeTimeout = 2 * wstest.Patience
	// reapTimeout is how long the cleanup waits for killed processes to die.
	reapTimeout = wstest.Patience
	// writeTimeout is how long a message to Firefox may take to send.
	writeTimeout = 10 * wstest.Patience
)

// Browser is one headless browser process that belongs to one test. Its
// pages are windows of that process.
type Browser struct {
	kind   Kind
	driver driver
	cfg    config
}

// driver is what a browser needs to do for Browser: chromium.go and
// firefox.go have one each.
type driver interface {
	// openTab opens a blank page, to be closed at t.Cleanup, whose console
	// messages go to log, and gives up at deadline.
	openTab(t testing.TB, log *consoleLog, deadline time.Time) (tab, error)
}

// tab is one page of a driver. Every call gives up at its deadline with an
// error that wraps context.DeadlineExceeded.
type tab interface {
	// navigate loads url and waits for its load event.
	navigate(url string, deadline time.Time) error
	// eval evaluates the JavaScript js, awaiting a promise, and returns
	// the JSON of its value, or nil for undefined.
	eval(js string, deadline time.Time) ([]byte, error)
	// screenshot returns a PNG of the page shown width by height CSS pixels.
	screenshot(width, height int, deadline time.Time) ([]byte, error)
	// closed reports whether the page is gone, or its browser is.
	closed() bool
}

// Option changes how Start runs the browser.
type Option func(*config)

type config struct {
	ignoreCertErrors bool
	// The tests shorten these to see the time limits work.
	startTimeout time.Duration
	loadTimeout  time.Duration
}

// IgnoreCertificateErrors makes the browser accept any TLS certificate, so
// that pages and wss:// connections work against a server with a
// self-signed certificate, such as one from httptest.NewTLSServer.
func IgnoreCertificateErrors() Option {
	return func(c *config) { c.ignoreCertErrors = true }
}

// Find returns the path of the browser k: the binary that its variable
// ($CHROMIUM, $FIREFOX) names if set, else the first of its names on PATH.
// It exists so that a test, or a script, can tell whether the browser
// tests can run here.
func Find(k Kind) (string, error) {
	info := k.info()
	if p := os.Getenv(info.env); p != "" {
		path, err := exec.LookPath(p)
		if err != nil {
			return "", fmt.Errorf("browser: %s=%s is not an executable browser: %w", info.env, p, err)
		}
		return path, nil
	}
	for _, name := range info.names {
		if path, err := exec.LookPath(name); err == nil {
			return path, nil
		}
	}
	return "", fmt.Errorf("browser: no %s on PATH (looked for %s)", info.title, strings.Join(info.names, ", "))
}

// Start launches the headless browser k for the test and stops it at
// t.Cleanup, killing any process of it that is left. When the browser is not
// found it calls t.Skip with the command that installs it, unless the
// environment variable CI is set, in which case it fails the test: a CI run
// must never skip the browser test silently. It fails the test when the
// browser does not start within 20 × wstest.Patience (60 s on an idle
// machine).
func Start(t testing.TB, k Kind, opts ...Option) *Browser {
	t.Helper()
	info := k.info()
	path, err := Find(k)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%v\nCI is set, so the browser test fails instead of skipping: %s", err, info.install)
		}
		t.Skipf("%v\nskipping the browser test: %s", err, info.install)
	}
	cfg := config{startTimeout: startTimeout, loadTimeout: loadTimeout}
	for _, o := range opts {
		o(&cfg)
	}
	output := &tailBuffer{max: 8 << 10}
	d, err := info.start(t, path, t.TempDir(), cfg, output)
	if err != nil {
		t.Fatalf("browser: starting %s: %v\nits output, without its D-Bus complaints:\n%s", path, err, output.withoutDBus())
	}
	return &Browser{kind: k, driver: d, cfg: cfg}
}

// Open opens a new page (a window of its own, so that no page is a hidden
// background tab whose timers the browser throttles) at url and waits until
// it has loaded (its load event). It fails the test if the page does not
// open within 10 × wstest.Patience, does not load within as long again, or
// does not load at all, such as on a refused certificate. The page is
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
	p := &Page{url: url, log: &consoleLog{}}
	tab, err := b.driver.openTab(t, p.log, time.Now().Add(tabTimeout))
	if err != nil {
		return nil, fmt.Errorf("browser: opening a page for %s in %s: %w", url, b.kind, err)
	}
	p.tab = tab
	if err := tab.navigate(url, time.Now().Add(b.cfg.loadTimeout)); err != nil {
		if timedOut(err) {
			err = fmt.Errorf("the page did not load within %s", b.cfg.loadTimeout)
		}
		return nil, fmt.Errorf("browser: opening %s in %s: %w%s", url, b.kind, err, p.consoleReport())
	}
	return p, nil
}

// within runs f and waits at most d for it. On time-out it calls cancel,
// which must make f return, and reports the time-out. It is for a call that
// cannot be given a deadline of its own, such as the first run of a
// chromedp context.
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

// timedOut reports whether err is a call that reached its deadline.
func timedOut(err error) bool { return errors.Is(err, context.DeadlineExceeded) }
