// Package gotest builds a step's test binary and runs it, returning the
// events that `go test -json` would print, decoded into typed values.
//
// Reading events is kept apart from judging them (package grade) and from
// printing (package report), so that each can be tested on its own.
package gotest

import (
	"bufio"
	"encoding/json"
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
