// Package browser drives headless browsers from Go tests, so that an
// end-to-end test can open real browser pages on a server it started and
// check what a person would see: for the workshop, that a chat message sent
// from one page shows up in another, over ws:// and wss://.
//
// It drives two browsers, behind one API, so that a test reads the same for
// each and runs in each (see [Kinds]):
//
//   - Chromium, through github.com/chromedp/chromedp, which speaks the
//     Chrome DevTools Protocol over a pipe (chromium.go);
//   - Firefox, over WebDriver BiDi (https://w3c.github.io/webdriver-bidi/),
//     the W3C's protocol for driving a browser: JSON commands and events
//     over a WebSocket, spoken here with gorilla/websocket (firefox.go,
//     bidi.go).
//
// It is the layer that every test would otherwise write again: it finds the
// browser, skips or fails when there is none, bounds every call in time,
// keeps each page's console for failure messages, and leaves no browser
// process behind.
//
// The files: browser.go starts a browser and opens pages; page.go is what a
// test does with a page (Eval, WaitFor, Console, Screenshot); chromium.go
// and firefox.go start each browser and run its pages; bidi.go is the
// WebDriver BiDi client; reap.go finds and kills a browser's processes
// through /proc; output.go keeps the end of a browser's output.
//
// # Time limits
//
// Every call is bounded, so that a browser that hangs fails the test instead
// of holding it until go test's own ten-minute timeout. The limits are
// multiples of wstest.Patience (so they grow under -race and with
// WORKSHOP_PATIENCE, docs/instructors.md), and they only bound a hang: a
// browser that works answers in milliseconds, and one on a loaded 2-core
// machine (where a browser's start alone has taken over 10 s) must never
// fail a test by being slow.
//
// # No process left behind
//
// Each browser gets a directory of the test's own (t.TempDir) for its
// profile, and its home and cache directories point there too, so that it
// writes nothing to the user's home and no state leaks from one test or run
// to the next. At t.Cleanup, Start closes the browser gracefully, then kills
// every process of it that is left: those whose command line names the
// test's directory, and their descendants, found before the browser closed
// (a helper that outlives its parent is no longer its child), and waits
// until they are dead (reap.go). A dead helper may linger as a zombie for a
// moment, until init collects it; it holds nothing but its process table
// entry.
//
// # Installing the browsers
//
// On Debian: apt-get install -y chromium firefox-esr (.ci/run does it).
// [Find] looks for each on PATH (chromium, chromium-browser, google-chrome
// or google-chrome-stable; firefox-esr or firefox), or takes the binary that
// the environment variable CHROMIUM or FIREFOX names. Without the browser,
// Start skips the test with the command that installs it, except when the
// environment variable CI is set: a CI run must never pass by silently
// skipping its browser tests.
package browser
