// Package dashboard is the live classroom (make classroom): a dashboard
// server for an instructor, built on the workshop's own reference
// solutions of steps 1–10 and nothing else. One port serves the page over
// hand-written HTTP (as step 10's chat does), /ws to the learners'
// checkers, each of which sends one small JSON event after a grade, a hint
// or a solve, and /live to the dashboard pages, which step 9's hub keeps
// up to date.
//
// What a learner's checker sends is exactly an Event: no code, no file
// contents. The server trusts none of it: every event is size-capped,
// validated field by field and rate-limited per learner, and the page
// shows every value as text, never as HTML.
package dashboard

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Limits on what a learner sends.
const (
	MaxEventSize  = 1024 // bytes of one event; a bigger message fails the connection with 1009
	MaxNameRunes  = 32
	MaxCheckRunes = 160 // a check's name as a sentence
	MaxCodeLen    = 16
	MaxLearners   = 300 // learners the dashboard keeps; newcomers beyond are refused
)

// The kinds of event. A join only asks whether the code is right; the
// others also update the learner's row.
const (
	KindJoin  = "join"
	KindGrade = "grade"
	KindHint  = "hint"
	KindSolve = "solve"
)

// Event is what a learner's checker sends, as one JSON text message: who
// (the name given to make join), the class code, and where the learner
// stands on one step. OnStep and Streak come from the learner's local
// state, so that a restarted dashboard learns them again from the next
// event.
type Event struct {
	Kind    string    `json:"kind"`
	Code    string    `json:"code"`
	Name    string    `json:"name"`
	ID      string    `json:"id"` // random, made by make join: two learners cannot share a name
	Step    int       `json:"step,omitempty"`
	Passed  int       `json:"passed,omitempty"`
	Total   int       `json:"total,omitempty"`
	Failing string    `json:"failing,omitempty"` // the first failing check, as a sentence
	Hints   int       `json:"hints,omitempty"`   // hints taken on this step
	Streak  int       `json:"streak,omitempty"`  // grades in a row that failed on Failing
	OnStep  int       `json:"onStep,omitempty"`  // seconds since the learner's first grade of this step
	Time    time.Time `json:"time"`              // when the checker sent it
}

// Reply is the dashboard's answer to each event: OK, or why not; and the
// instructor's current announcement, if there is one.
type Reply struct {
	OK           bool          `json:"ok"`
	Error        string        `json:"error,omitempty"`
	Announcement *Announcement `json:"announcement,omitempty"`
}

// Announcement is the instructor's message to everyone. ID tells one
// message from the next, so that a checker shows each one once.
type Announcement struct {
	ID   int64  `json:"id"`
	Text string `json:"text"`
}

// MaxAnnouncementRunes bounds the instructor's message: one line of a
// terminal.
const MaxAnnouncementRunes = 200

// ErrBadEvent wraps every reason an event is refused.
var ErrBadEvent = errors.New("dashboard: bad event")

// ParseEvent decodes and validates one event: exactly the fields of Event,
// each within its limits, with printable text only. steps is the number of
// the last step of the course.
func ParseEvent(data []byte, steps int) (Event, error) {
	var ev Event
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ev); err != nil {
		return ev, fmt.Errorf("%w: not an event: %v", ErrBadEvent, err)
	}
	if dec.More() {
		return ev, fmt.Errorf("%w: more than one JSON value", ErrBadEvent)
	}
	name, err := CleanName(ev.Name)
	if err != nil {
		return ev, err
	}
	ev.Name = name
	bad := func(what string, args ...any) (Event, error) {
		return ev, fmt.Errorf("%w: %s", ErrBadEvent, fmt.Sprintf(what, args...))
	}
	switch {
	case ev.Code == "" || len(ev.Code) > MaxCodeLen:
		return bad("the class code is missing")
	case len(ev.ID) < 8 || len(ev.ID) > 32 || strings.Trim(ev.ID, "0123456789abcdef") != "":
		return bad("the learner's id is not 8 to 32 hex digits (make join makes one)")
	case ev.Kind == KindJoin:
		return ev, nil
	case ev.Kind != KindGrade && ev.Kind != KindHint && ev.Kind != KindSolve:
		return bad("kind %.20q is not one of join, grade, hint, solve", ev.Kind)
	case ev.Step < 1 || ev.Step > steps:
		return bad("step %d is not a step of the course (1–%d)", ev.Step, steps)
	case ev.Total < 0 || ev.Total > 200 || ev.Passed < 0 || ev.Passed > ev.Total:
		return bad("passed %d of %d checks is not a score", ev.Passed, ev.Total)
	case ev.Hints < 0 || ev.Hints > 50 || ev.Streak < 0 || ev.Streak > 1_000_000:
		return bad("hints %d or streak %d out of range", ev.Hints, ev.Streak)
	case ev.OnStep < 0 || ev.OnStep > 366*24*3600:
		return bad("time on step %d s out of range", ev.OnStep)
	case utf8.RuneCountInString(ev.Failing) > MaxCheckRunes || !printable(ev.Failing):
		return bad("the failing check's name is too long or not printable")
	}
	return ev, nil
}

// CleanName trims a learner's name and refuses an empty or long one, or
// one with characters that cannot be shown: make join checks it before it
// asks the dashboard, and the dashboard again.
func CleanName(name string) (string, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", fmt.Errorf("%w: the name is empty", ErrBadEvent)
	case utf8.RuneCountInString(name) > MaxNameRunes:
		return "", fmt.Errorf("%w: the name %.40q is longer than %d characters", ErrBadEvent, name, MaxNameRunes)
	case !printable(name):
		return "", fmt.Errorf("%w: the name %.40q has characters that cannot be shown", ErrBadEvent, name)
	}
	return name, nil
}

// printable reports whether s is valid UTF-8 of printable characters and
// spaces only.
func printable(s string) bool {
	return utf8.ValidString(s) && strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) }) < 0
}
