// Package gotest builds a Go package's test binary and runs it as
// `go test -json` would: under test2json, with the events decoded into
// typed values as they arrive, a watchdog that stops a test that stalls,
// and a cap on each test's output. It knows nothing of the workshop: which
// package to build is its caller's business, and what the events mean is
// package grade's.
package gotest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
)

// Action is what a test event reports, as cmd/test2json defines it.
type Action string

// The actions that matter to grading. test2json also emits "start",
// "pause" and "cont", which the checker ignores.
const (
	Run         Action = "run"
	Output      Action = "output"
	Pass        Action = "pass"
	Fail        Action = "fail"
	Skip        Action = "skip"
	Attr        Action = "attr" // a test attribute, set with testing.T.Attr: Key and Value
	BuildOutput Action = "build-output"
	BuildFail   Action = "build-fail"
)

// Event is one line of `go test -json` output.
type Event struct {
	Time       time.Time `json:"Time"`
	Action     Action    `json:"Action"`
	Package    string    `json:"Package"`
	ImportPath string    `json:"ImportPath"` // set on build events
	Test       string    `json:"Test"`
	Output     string    `json:"Output"`
	Elapsed    float64   `json:"Elapsed"`
	Key        string    `json:"Key"`   // set on attr events
	Value      string    `json:"Value"` // set on attr events
}

// Terminal reports whether the event ends a test: pass, fail or skip.
func (e Event) Terminal() bool {
	return e.Action == Pass || e.Action == Fail || e.Action == Skip
}

// TopLevel is the name of the top-level test an event belongs to:
// "TestCheck" for both "TestCheck" and "TestCheck/rejects POST".
func (e Event) TopLevel() string {
	name, _, _ := strings.Cut(e.Test, "/")
	return name
}

// Decode reads a stream of JSON events. A line that is not a JSON object
// (the go command prints a few of those, e.g. when it is killed) becomes an
// Output event of its own, so that nothing said is lost.
func Decode(r io.Reader) ([]Event, error) {
	var events []Event
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 16<<20)
	for sc.Scan() {
		line := sc.Bytes()
		if len(line) == 0 {
			continue
		}
		var e Event
		if line[0] != '{' || json.Unmarshal(line, &e) != nil {
			e = Event{Action: Output, Output: string(line) + "\n"}
		}
		events = append(events, e)
	}
	return events, sc.Err()
}

// maxLine is the longest event line kept whole; test2json splits a test's
// output into lines, so only a test that prints megabytes without a
// newline comes near it, and the rest of such a line is dropped.
const maxLine = 1 << 20

// decodeCapped reads events as they arrive, calls observe on each, and
// keeps at most maxOutput bytes of output per test name (and for the
// package's own output): the first quarter and the last three quarters, so
// that a test's first messages and the panic dump at its end both survive,
// with an output event "… N bytes of output cut …" between them.
func decodeCapped(r io.Reader, maxOutput int, observe func(Event)) ([]Event, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var events []Event
	caps := map[string]*outputCap{}
	var order []string
	for {
		line, err := readLine(br)
		if len(line) > 0 {
			var e Event
			if line[0] != '{' || json.Unmarshal(line, &e) != nil {
				e = Event{Action: Output, Output: string(line) + "\n"}
			}
			observe(e)
			// Attributes stay in order with the output: a failure handed
			// over as an attribute comes just before the text of it.
			if e.Action == Output || e.Action == Attr {
				c := caps[e.Test]
				if c == nil {
					c = &outputCap{head: maxOutput / 4, tail: maxOutput - maxOutput/4}
					caps[e.Test] = c
					order = append(order, e.Test)
				}
				c.add(e)
			} else {
				events = append(events, e)
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	// Output and attr events go back in front of the events of their
	// test: within one test name their order is kept, which is all
	// grading reads.
	var out []Event
	for _, name := range order {
		out = append(out, caps[name].events()...)
	}
	return append(out, events...), nil
}

// readLine returns the next line without its newline, at most maxLine
// bytes of it.
func readLine(br *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(line) < maxLine {
			line = append(line, chunk[:min(len(chunk), maxLine-len(line))]...)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		return bytes.TrimRight(line, "\r\n"), err
	}
}

// outputCap keeps the first head bytes of a test's output and the last
// tail bytes, counting what falls between.
type outputCap struct {
	head, tail int
	first      []Event
	firstBytes int
	last       []Event
	lastBytes  int
	cut        int
	template   Event
}

func (c *outputCap) add(e Event) {
	c.template = e
	n := e.size()
	if c.cut == 0 && len(c.last) == 0 && c.firstBytes+n <= c.head {
		c.first = append(c.first, e)
		c.firstBytes += n
		return
	}
	c.last = append(c.last, e)
	c.lastBytes += n
	for c.lastBytes > c.tail && len(c.last) > 0 {
		c.lastBytes -= c.last[0].size()
		c.cut += c.last[0].size()
		c.last = c.last[1:]
	}
}

// size is what an output or attr event counts against a test's cap.
func (e Event) size() int { return len(e.Output) + len(e.Key) + len(e.Value) }

func (c *outputCap) events() []Event {
	out := append([]Event(nil), c.first...)
	if c.cut > 0 {
		marker := Event{Action: Output, Package: c.template.Package, Test: c.template.Test}
		marker.Output = fmt.Sprintf("… %d bytes of output cut …\n", c.cut)
		out = append(out, marker)
	}
	return append(out, c.last...)
}
