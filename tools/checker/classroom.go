package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/fatih/color"

	"github.com/wsfromtcp/workshop/tools/checker/internal/classroom"
	"github.com/wsfromtcp/workshop/tools/checker/internal/grade"
	"github.com/wsfromtcp/workshop/tools/checker/internal/workspace"
	"github.com/wsfromtcp/workshop/tools/classroom/dashboard"
	"github.com/wsfromtcp/workshop/tools/course"
)

// live is what a learner's command does besides its own work: it records
// each grade in the local state (for make progress and the stuck hint),
// and, once the learner has joined a classroom, tells the dashboard.
type live struct {
	e    *environment
	ws   *workspace.Workspace
	room *workspace.Classroom // nil when no classroom was joined
	sess *classroom.Session
}

// startLive starts a learner's command: it dials the dashboard at once, so
// that the connection is made while the tests run. It returns nil for a
// run that is not the learner's own: the reference, or a README sample.
func (e *environment) startLive(solution bool) *live {
	if solution || e.learnerOverlay != "" {
		return nil
	}
	l := &live{e: e, ws: e.workspace()}
	room, err := l.ws.Classroom()
	if err != nil {
		grade.Trace("classroom left out: %v", err)
	}
	if room != nil {
		l.room, l.sess = room, classroom.Dial(room.Addr)
	}
	return l
}

// graded records a grade of step s, offers the next hint when the same
// check has failed StuckRuns times in a row, and tells the dashboard.
func (l *live) graded(s course.Step, res grade.Result) {
	if l == nil {
		return
	}
	passed, total, failing := res.Passed(), len(res.Checks), ""
	for _, c := range res.Checks {
		if c.Status != grade.Passed {
			failing = c.Sentence
			break
		}
	}
	if !res.Compiles() {
		failing = "does not compile"
	}
	log, offer, err := l.ws.RecordGrade(s.Slug, passed, total, failing)
	if err != nil {
		grade.Trace("grade log left out: %v", err)
	}
	if offer {
		fmt.Fprintf(l.e.out, "\n%s make hint STEP=%d\n", l.e.printer.Paint(color.FgYellow)(
			fmt.Sprintf("Stuck on %q for %d runs:", failing, log.Streak)), s.Number)
	}
	l.send(dashboard.KindGrade, s, log)
}

// send tells the dashboard, if one was joined, where the learner stands on
// step s, and prints the instructor's announcement when it is new. It
// waits classroom.Wait at most, and a dashboard that cannot be reached
// changes nothing else.
func (l *live) send(kind string, s course.Step, log workspace.StepLog) {
	if l == nil || l.room == nil {
		return
	}
	hints, _ := l.ws.HintsTaken(s.Slug)
	ev := dashboard.Event{Kind: kind, Code: l.room.Code, Name: l.room.Name, ID: l.room.ID, Step: s.Number,
		Passed: log.Passed, Total: log.Total, Failing: log.Failing, Hints: hints, Streak: log.Streak}
	if !log.First.IsZero() {
		ev.OnStep = max(0, int(time.Since(log.First)/time.Second))
	}
	start := time.Now()
	reply, err := l.sess.Send(ev, start.Add(classroom.Wait))
	grade.Trace("classroom: the dashboard took %v", time.Since(start)) // checker timings -classroom reads it
	if err != nil && reply.Error != "" {
		// The dashboard answered and refused: say so, since the learner can
		// do something about it. A dashboard that is away says nothing.
		fmt.Fprintf(l.e.out, "\n%s\n", l.e.printer.Paint(color.Faint)(
			fmt.Sprintf("Classroom %s: %s (make join again, or make leave)", l.room.Addr, classroom.Printable(reply.Error, 200))))
	}
	if err != nil {
		grade.Trace("classroom: %v", err)
	}
	if a := reply.Announcement; a != nil && a.ID != l.room.Seen {
		fmt.Fprintf(l.e.out, "\n%s %s\n", l.e.printer.Paint(color.Bold, color.FgCyan)("Instructor:"),
			classroom.Printable(a.Text, dashboard.MaxAnnouncementRunes))
		l.room.Seen = a.ID
		if err := l.ws.SetClassroom(l.room); err != nil {
			grade.Trace("classroom: %v", err)
		}
	}
}

// tell sends the dashboard an event of kind for step s, with the step's
// last grade: after make hint and make solve.
func (e *environment) tell(kind string, s course.Step) {
	l := e.startLive(false)
	if l == nil || l.room == nil {
		return
	}
	logs, _ := l.ws.StepLogs()
	l.send(kind, s, logs[s.Slug])
}

// join checks the classroom with the dashboard and saves it: checker join
// HOST:PORT CODE NAME.
func (e *environment) join(_ context.Context, args []string) (int, error) {
	if len(args) != 3 || args[0] == "" || args[1] == "" || args[2] == "" {
		return 2, errors.New("say which classroom, with the code and your name: make join CLASS=192.168.1.10:8099 CODE=K7QX2M NAME=ann")
	}
	addr, code, name := args[0], strings.TrimSpace(args[1]), strings.TrimSpace(args[2])
	ws := e.workspace()
	id := classroom.NewID()
	if old, err := ws.Classroom(); err == nil && old != nil && old.ID != "" {
		id = old.ID // joining again, after a restart of the dashboard or in another classroom: still the same learner
	}
	if err := classroom.Join(addr, code, name, id); err != nil {
		return 1, err
	}
	if err := ws.SetClassroom(&workspace.Classroom{Addr: addr, Code: code, Name: name, ID: id}); err != nil {
		return 2, err
	}
	fmt.Fprintf(e.out, "Joined the classroom at %s as %s. Each make stepN, make hint and make solve now tells the dashboard\n"+
		"your step, score, first failing check and hints taken (never your code); make leave stops it.\n", addr, name)
	return 0, nil
}

// leave forgets the classroom.
func (e *environment) leave(_ context.Context, _ []string) (int, error) {
	ws := e.workspace()
	room, err := ws.Classroom()
	if err != nil {
		return 2, err
	}
	if room == nil {
		fmt.Fprintln(e.out, "You are not in a classroom: nothing is sent anywhere.")
		return 0, nil
	}
	if err := ws.SetClassroom(nil); err != nil {
		return 2, err
	}
	fmt.Fprintf(e.out, "Left the classroom at %s: nothing is sent any more.\n", room.Addr)
	return 0, nil
}

// printTimes follows make progress's table with the time spent on each
// step graded so far: from its first grade to its last.
func (e *environment) printTimes() {
	if e.learnerOverlay != "" {
		return // a README sample: the maintainer's own history is not the sample's
	}
	logs, err := e.workspace().StepLogs()
	if err != nil || len(logs) == 0 {
		return
	}
	fmt.Fprintf(e.out, "\n%s\n", e.printer.Paint(color.Bold)("Time per step (first grade to last):"))
	for _, s := range e.course.Steps {
		if l, ok := logs[s.Slug]; ok {
			fmt.Fprintf(e.out, "  %-24s %-8s %d grades\n", s.Name(), minutes(l.Spent()), l.Grades)
		}
	}
}

// minutes says a duration in whole minutes, or hours and minutes.
func minutes(d time.Duration) string {
	m := int(d / time.Minute)
	if m < 60 {
		return fmt.Sprintf("%d min", m)
	}
	return fmt.Sprintf("%d h %02d", m/60, m%60)
}
