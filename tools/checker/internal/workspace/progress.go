package workspace

import (
	"time"
)

// StuckRuns is how many grades in a row may fail on the same check before
// the checker offers the next hint, once.
const StuckRuns = 3

// StepLog is what the checker remembers of a learner's grades of one
// step: when the first and the last were, the last score, and how many
// grades in a row have failed on the same first check.
type StepLog struct {
	First   time.Time `json:"first"`
	Last    time.Time `json:"last"`
	Grades  int       `json:"grades"`
	Passed  int       `json:"passed"`
	Total   int       `json:"total"`
	Failing string    `json:"failing,omitempty"` // the first failing check of the last grade
	Streak  int       `json:"streak,omitempty"`  // grades in a row that failed on Failing
	Offered bool      `json:"offered,omitempty"` // the hint was offered for this Failing
}

// Spent is the time between the first and the last grade of the step.
func (l StepLog) Spent() time.Duration { return l.Last.Sub(l.First) }

// RecordGrade records a grade of a step: passed of total checks, failing
// the first failing check ("" when all pass). It returns the step's log
// and whether to offer the next hint now: the first time StuckRuns grades
// in a row fail on the same check.
func (w *Workspace) RecordGrade(slug string, passed, total int, failing string) (StepLog, bool, error) {
	st, err := w.loadState()
	if err != nil {
		return StepLog{}, false, err
	}
	if st.Grades == nil {
		st.Grades = map[string]*StepLog{}
	}
	now := w.Now().UTC()
	l := st.Grades[slug]
	if l == nil {
		l = &StepLog{First: now}
		st.Grades[slug] = l
	}
	switch {
	case failing == "":
		l.Streak, l.Offered = 0, false
	case failing == l.Failing:
		l.Streak++
	default:
		l.Streak, l.Offered = 1, false
	}
	l.Last, l.Passed, l.Total, l.Failing = now, passed, total, failing
	l.Grades++
	offer := l.Streak >= StuckRuns && !l.Offered
	if offer {
		l.Offered = true
	}
	return *l, offer, w.saveState(st)
}

// StepLogs returns the grade log of every step graded so far, by slug.
func (w *Workspace) StepLogs() (map[string]StepLog, error) {
	st, err := w.loadState()
	logs := map[string]StepLog{}
	for slug, l := range st.Grades {
		logs[slug] = *l
	}
	return logs, err
}

// Classroom is the live classroom a learner joined with make join: the
// dashboard's host:port, its code, the learner's name and id there, and
// the last announcement shown, so that each is shown once.
type Classroom struct {
	Addr string `json:"addr"`
	Code string `json:"code"`
	Name string `json:"name"`
	ID   string `json:"id"` // random, made at join: the dashboard tells two learners of one name apart
	Seen int64  `json:"seen,omitempty"`
}

// Classroom returns the classroom joined, or nil.
func (w *Workspace) Classroom() (*Classroom, error) {
	st, err := w.loadState()
	return st.Classroom, err
}

// SetClassroom saves the classroom joined; nil forgets it.
func (w *Workspace) SetClassroom(c *Classroom) error {
	st, err := w.loadState()
	if err != nil {
		return err
	}
	st.Classroom = c
	return w.saveState(st)
}
