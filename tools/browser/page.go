package browser

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

const (
	// syncTimeout bounds how long Console waits for the messages that the
	// browser has already sent to be recorded, which takes microseconds.
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

// Page is one page of a Browser. Its methods may be called from any
// goroutine, and two pages can be used at the same time.
type Page struct {
	url string
	tab tab
	log *consoleLog
}

// Eval evaluates a JavaScript expression in the page and stores the JSON
// result in out (may be nil); promises are awaited. An exception in the
// expression, or a result of undefined when out is not nil, is an error. It
// gives up after 10 × wstest.Patience, which only bounds a hang; use
// WaitFor to wait for something to happen.
func (p *Page) Eval(js string, out any) error {
	raw, err := p.eval(js, time.Now().Add(evalTimeout))
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
func (p *Page) eval(js string, deadline time.Time) ([]byte, error) {
	raw, err := p.tab.eval(js, deadline)
	if err != nil && timedOut(err) {
		err = fmt.Errorf("no result within the time limit: %w", err)
	}
	return raw, err
}

// Screenshot returns a PNG of the page as it is shown, width by height CSS
// pixels: for pictures in the docs, and for looking at a failing page.
func (p *Page) Screenshot(width, height int) ([]byte, error) {
	png, err := p.tab.screenshot(width, height, time.Now().Add(evalTimeout))
	if err != nil {
		return nil, fmt.Errorf("browser: screenshot of %s at %dx%d: %w", p.url, width, height, err)
	}
	return png, nil
}

// WaitFor polls the JavaScript boolean expression until it is true or the
// timeout passes. The error says what was awaited, what the expression last
// gave, and includes the page's recent console messages and any JavaScript
// exceptions, so that a failing test explains itself. Only the boolean true
// ends the wait; an exception (such as a ReferenceError while a script is
// still loading) counts as not yet.
func (p *Page) WaitFor(js string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	last := ""
	for {
		raw, err := p.eval(js, deadline)
		switch {
		case err == nil && string(raw) == "true":
			return nil
		case err == nil && raw == nil:
			last = "undefined"
		case err == nil:
			last = string(raw)
		case !timedOut(err) || last == "":
			// An evaluation cut short by the time-out says less than the
			// result before it, so it only counts when there is none.
			last = "the error " + err.Error()
		}
		if p.tab.closed() {
			return fmt.Errorf("browser: waiting for `%s`: the page was closed%s", js, p.consoleReport())
		}
		wait := time.Until(deadline)
		if wait <= 0 {
			return fmt.Errorf("browser: waited %s for `%s` to be true; it last gave %s%s", timeout, js, last, p.consoleReport())
		}
		time.Sleep(min(wait, pollInterval))
	}
}

// Console returns the console messages and exceptions of the page, oldest
// first, as "type: text" (for example "log: connected"), for failure
// messages. Exceptions and the browser's own messages about the page, such
// as a refused WebSocket connection, are there too, with where they come
// from: "exception: Uncaught Error: boom" or "error (network): …" from
// Chromium, "error (javascript): Error: boom" from Firefox.
//
// It holds every message that the browser sent before its reply to the last
// call that returned (Open, Eval, WaitFor, Screenshot): so a message that
// the page logs before a state that Eval or WaitFor saw is always there,
// however busy the machine is.
func (p *Page) Console() []string { return p.log.messages() }

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

// consoleLog is the console of one page. A driver announces each message
// on the goroutine that reads the browser's messages in order, before it
// reads any later reply, and records it, on that goroutine or another:
// messages waits until every announced message is recorded.
type consoleLog struct {
	sent atomic.Int64 // messages announced

	mu       sync.Mutex
	kept     []string
	recorded int64
	ended    bool // nothing more will be recorded
}

// announce counts a message that the browser has sent.
func (l *consoleLog) announce() { l.sent.Add(1) }

// record keeps an announced message.
func (l *consoleLog) record(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.recorded++
	if len(l.kept) == keptMessages {
		l.kept = append(l.kept[:0], l.kept[1:]...)
	}
	l.kept = append(l.kept, s)
}

// end notes that no more messages will be recorded (the page is closed, or
// a message could not be decoded), so that messages stops waiting for them.
func (l *consoleLog) end() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ended = true
}

// messages returns the kept messages, once all the announced ones are
// recorded (or syncTimeout has passed).
func (l *consoleLog) messages() []string {
	want := l.sent.Load()
	deadline := time.Now().Add(syncTimeout)
	for {
		l.mu.Lock()
		if l.recorded >= want || l.ended || time.Now().After(deadline) {
			defer l.mu.Unlock()
			return append([]string(nil), l.kept...)
		}
		l.mu.Unlock()
		time.Sleep(time.Millisecond)
	}
}
