package dashboard

import (
	"cmp"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/wsfromtcp/workshop/tools/course"
)

// StuckStreak is how many grades in a row may fail on the same check
// before the dashboard marks the learner stuck.
const StuckStreak = 5

// Per learner, and per connection, at most eventBurst events at once and
// eventsPerSecond after that: a checker sends one event a grade, a person
// grades every few seconds at most, and a runaway loop must not cost the
// dashboard more than a few events a second.
const (
	eventsPerSecond = 5
	eventBurst      = 10
)

// Row is one learner as the dashboard shows and exports it.
type Row struct {
	Name     string `json:"name"`
	Step     int    `json:"step"` // 0 until the first grade
	Passed   int    `json:"passed"`
	Total    int    `json:"total"`
	Failing  string `json:"failing"`
	OnStep   int    `json:"onStep"` // seconds on the step, now
	Hints    int    `json:"hints"`
	Streak   int    `json:"streak"`
	Stuck    string `json:"stuck"`    // why the learner looks stuck; empty when not
	LastSeen int    `json:"lastSeen"` // seconds since the last event
}

// learner is a Row as the room keeps it, with times instead of ages.
type learner struct {
	Row
	id       string    // Event.ID: whose name this is
	since    time.Time // when the learner started the step, by the dashboard's clock
	lastSeen time.Time
	limit    bucket
}

// Room is the classroom's state: every learner's row, and the
// announcement. Its methods may be called from any goroutine.
type Room struct {
	code    string
	course  course.Course
	changed chan struct{} // a token when something changed since the last snapshot

	mu           sync.Mutex
	learners     map[string]*learner
	announcement *Announcement
}

// NewRoom returns an empty room whose learners join with code.
func NewRoom(code string, c course.Course) *Room {
	return &Room{code: code, course: c, changed: make(chan struct{}, 1), learners: map[string]*learner{}}
}

// Code is the join code.
func (r *Room) Code() string { return r.code }

// Receive takes one event, already parsed, at now: it refuses a wrong
// code, an event over the learner's rate, and a newcomer when the room is
// full, and otherwise updates the learner's row.
func (r *Room) Receive(ev Event, now time.Time) Reply {
	if subtle.ConstantTimeCompare([]byte(ev.Code), []byte(r.code)) != 1 {
		return Reply{Error: "wrong class code: use the code the dashboard shows (make join CLASS=… CODE=… NAME=…)"}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	l, ok := r.learners[ev.Name]
	if !ok {
		if len(r.learners) >= MaxLearners {
			return Reply{Error: fmt.Sprintf("the dashboard is full (%d learners)", MaxLearners)}
		}
		l = &learner{Row: Row{Name: ev.Name}, id: ev.ID, since: now, limit: newBucket(now)}
		r.learners[ev.Name] = l
	} else if l.id != ev.ID {
		return Reply{Error: fmt.Sprintf("someone else in this classroom is called %q: make join again with another NAME", ev.Name)}
	} else if !l.limit.allow(now) {
		return Reply{Error: "too many events: the dashboard takes a few a second"}
	}
	l.lastSeen = now
	switch {
	case ev.Kind == KindJoin:
	case ev.Kind != KindGrade && ev.Total == 0 && ev.Step == l.Step:
		// A hint or a solve on a step never graded: no score to show yet.
		l.Hints = ev.Hints
	default:
		l.Step, l.Passed, l.Total, l.Failing = ev.Step, ev.Passed, ev.Total, ev.Failing
		l.Hints, l.Streak = ev.Hints, ev.Streak
		l.since = now.Add(-time.Duration(ev.OnStep) * time.Second)
	}
	r.touch()
	return Reply{OK: true, Announcement: r.announcement}
}

// Announce sets the announcement that every learner's next reply carries;
// an empty text takes it down.
func (r *Room) Announce(text string, now time.Time) {
	r.mu.Lock()
	if text == "" {
		r.announcement = nil
	} else {
		r.announcement = &Announcement{ID: now.UnixNano(), Text: text}
	}
	r.mu.Unlock()
	r.touch()
}

// touch tells the broadcaster that a snapshot is due.
func (r *Room) touch() {
	select {
	case r.changed <- struct{}{}:
	default: // one is due already
	}
}

// Rows returns every learner's row at now, sorted by name.
func (r *Room) Rows(now time.Time) []Row {
	r.mu.Lock()
	defer r.mu.Unlock()
	rows := make([]Row, 0, len(r.learners))
	for _, l := range r.learners {
		row := l.Row
		row.OnStep = int(now.Sub(l.since) / time.Second)
		row.LastSeen = int(now.Sub(l.lastSeen) / time.Second)
		row.Stuck = r.stuck(row)
		rows = append(rows, row)
	}
	slices.SortFunc(rows, func(a, b Row) int { return cmp.Compare(a.Name, b.Name) })
	return rows
}

// stuck says why a learner looks stuck: the same failing check on
// StuckStreak grades in a row, or longer on the step than the course
// expects. A step that passes is never stuck.
func (r *Room) stuck(row Row) string {
	if row.Step == 0 || (row.Total > 0 && row.Passed == row.Total) {
		return ""
	}
	if row.Streak >= StuckStreak {
		return fmt.Sprintf("same ✗ for %d grades", row.Streak)
	}
	if s, ok := r.course.Step(row.Step); ok && s.Minutes > 0 && row.OnStep > s.Minutes*60 {
		return fmt.Sprintf("%d min on a %d-min step", row.OnStep/60, s.Minutes)
	}
	return ""
}

// Snapshot is what the dashboard pages get after every change.
type Snapshot struct {
	Type         string        `json:"type"` // "snapshot"
	Learners     []Row         `json:"learners"`
	Announcement *Announcement `json:"announcement"`
}

// Snapshot encodes the room at now.
func (r *Room) Snapshot(now time.Time) []byte {
	rows := r.Rows(now)
	r.mu.Lock()
	a := r.announcement
	r.mu.Unlock()
	data, _ := json.Marshal(Snapshot{Type: "snapshot", Learners: rows, Announcement: a})
	return data
}

// bucket is a token bucket: eventBurst tokens, refilled at
// eventsPerSecond.
type bucket struct {
	tokens float64
	last   time.Time
}

func newBucket(now time.Time) bucket { return bucket{tokens: eventBurst, last: now} }

// allow takes a token at now, or reports false when there is none.
func (b *bucket) allow(now time.Time) bool {
	b.tokens = min(eventBurst, b.tokens+now.Sub(b.last).Seconds()*eventsPerSecond)
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}
