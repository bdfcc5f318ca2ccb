package browser

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// chromium runs Chromium through chromedp.
//
// startChromium runs it with these flags. Each one is there because a CI
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
// Chromium always starts two crash handlers (chrome_crashpad_handler), which
// detach from the browser and keep their database under $XDG_CONFIG_HOME;
// startChromium points that variable into the test's directory too, so the
// handlers write nothing to the home directory and name the directory in
// their command line, which is how the cleanup finds them.
// (--disable-crashpad-for-testing would spare them, but with Debian's
// Chromium 156 it makes the network service crash at once.)
type chromium struct {
	ctx context.Context // the chromedp context of the browser's first tab
}

func startChromium(t testing.TB, path, dir string, cfg config, output *tailBuffer) (driver, error) {
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
		chromedp.UserDataDir(filepath.Join(dir, "profile")),
		// Chromium's crash handlers keep their database under
		// $XDG_CONFIG_HOME (~/.config by default): here, it is the test's.
		chromedp.Env("XDG_CONFIG_HOME=" + filepath.Join(dir, "config")),
		chromedp.CombinedOutput(output),
	}
	if cfg.ignoreCertErrors {
		flags = append(flags, chromedp.Flag("ignore-certificate-errors", true))
	}
	allocCtx, allocCancel := chromedp.NewExecAllocator(context.Background(), flags...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	// Registered after t.TempDir, so it runs before the profile is removed.
	t.Cleanup(func() {
		procs := processesOf(dir)
		cctx, ccancel := context.WithTimeout(ctx, closeTimeout)
		_ = chromedp.Cancel(cctx) // closes gracefully; killed below if not
		ccancel()
		cancel()
		allocCancel() // returns once chromedp has waited for the browser process
		killLeftovers(dir, procs)
		if t.Failed() {
			t.Logf("browser: the last output of Chromium (%s), without its D-Bus complaints:\n%s", path, output.withoutDBus())
		}
	})

	// The first run starts Chromium and ties its life to the context it is
	// given, so it gets the browser's own context, and the time limit is kept
	// here instead: on time-out, the context is cancelled, which kills it.
	if err := within(cfg.startTimeout, cancel, func() error { return chromedp.Do(ctx) }); err != nil {
		return nil, err
	}
	return &chromium{ctx: ctx}, nil
}

// chromiumTab is one tab of Chromium, in a window of its own (chromedp's
// default).
type chromiumTab struct {
	ctx context.Context
}

func (c *chromium) openTab(t testing.TB, log *consoleLog, deadline time.Time) (tab, error) {
	ctx, cancel := chromedp.NewContext(c.ctx)
	t.Cleanup(cancel)

	// As in startChromium, the first run creates the tab and ties it to ctx.
	// (The deadline is a whole number of seconds away, less the
	// microseconds since it was set: the limit is said in seconds.)
	limit := max(time.Until(deadline).Round(time.Second), time.Until(deadline))
	if err := within(limit, cancel, func() error { return chromedp.Do(ctx) }); err != nil {
		return nil, err
	}
	// Subscribed now, before the page loads. chromedp's iterator delivers
	// the messages from a goroutine of its own, so a message can still be
	// on its way when the reply to a later command is already in: counting
	// them in a listener, which runs on the goroutine that reads Chromium's
	// messages in order, tells the console how many to wait for. The
	// listener is added after the subscription, so it never counts a
	// message that the iterator will not deliver.
	messages := chromedp.Console(ctx)
	if err := chromedp.Listen(ctx, func(ev any) {
		switch ev.(type) {
		case *cdpruntime.EventConsoleAPICalled, *cdpruntime.EventExceptionThrown, *cdplog.EventEntryAdded:
			log.announce()
		}
	}); err != nil {
		return nil, fmt.Errorf("listening to the console: %w", err)
	}
	go func() {
		defer log.end()
		for m, err := range messages {
			if err != nil {
				return
			}
			s := m.String()
			if m.Source != "" {
				s = fmt.Sprintf("%s (%s): %s", m.Type, m.Source, m.Text)
			}
			log.record(s)
		}
	}()
	return &chromiumTab{ctx: ctx}, nil
}

// within gives ctx the deadline.
func (t *chromiumTab) within(deadline time.Time) (context.Context, context.CancelFunc) {
	return context.WithDeadline(t.ctx, deadline)
}

func (t *chromiumTab) navigate(url string, deadline time.Time) error {
	ctx, cancel := t.within(deadline)
	defer cancel()
	return chromedp.Do(ctx, chromedp.Navigate(url))
}

func (t *chromiumTab) eval(js string, deadline time.Time) ([]byte, error) {
	ctx, cancel := t.within(deadline)
	defer cancel()
	return chromedp.Run(ctx, chromedp.Evaluate[[]byte](js, chromedp.EvalAwaitPromise))
}

func (t *chromiumTab) screenshot(width, height int, deadline time.Time) ([]byte, error) {
	ctx, cancel := t.within(deadline)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(width), int64(height))); err != nil {
		return nil, fmt.Errorf("sizing the page: %w", err)
	}
	return chromedp.Run(ctx, chromedp.CaptureScreenshot())
}

func (t *chromiumTab) closed() bool { return t.ctx.Err() != nil }
