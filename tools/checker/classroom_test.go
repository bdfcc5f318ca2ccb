package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wsfromtcp/workshop/tools/browser"
	"github.com/wsfromtcp/workshop/tools/checker/internal/classroom"
	"github.com/wsfromtcp/workshop/tools/checker/internal/grade"
	"github.com/wsfromtcp/workshop/tools/checker/internal/layout"
	"github.com/wsfromtcp/workshop/tools/checker/internal/report"
	"github.com/wsfromtcp/workshop/tools/checker/internal/tamper"
	"github.com/wsfromtcp/workshop/tools/checker/internal/workspace"
	"github.com/wsfromtcp/workshop/tools/classroom/dashboard"
	"github.com/wsfromtcp/workshop/tools/course"
	"github.com/wsfromtcp/workshop/tools/wstest"
)

// screenshot is where the instructor guide's picture is written:
// go test -run TestClassroomDashboardShowsSixtyLearnersLive ./tools/checker/ -args -screenshot $PWD/docs/images/classroom.png
var screenshot = flag.String("screenshot", "", "write the dashboard of the classroom test, in Chromium, to this PNG file")

// learner is one simulated learner: a checkout of their own (only its
// .workshop state matters here), and what its checker printed.
type learner struct {
	env *environment
	out *bytes.Buffer
}

func newLearner(t *testing.T, c course.Course) learner {
	var out bytes.Buffer
	env := &environment{layout: layout.Layout{Root: t.TempDir(), Module: "example.com/w"}, course: c, out: &out,
		printer: report.Printer{W: &out, Course: c}}
	return learner{env: env, out: &out}
}

// grade runs what make stepN does after grading, through the checker's own
// code, with a grade of step n where the first passed of the step's real
// checks pass.
func (l learner) grade(c course.Course, n, passed int) {
	s, _ := c.Step(n)
	res := grade.Result{Step: s, Target: layout.Steps}
	for i, name := range stepChecks(s) {
		status := grade.Passed
		if i >= passed {
			status = grade.Failed
		}
		res.Checks = append(res.Checks, grade.Check{Test: name, Sentence: grade.Sentence(name), Status: status})
	}
	l.env.startLive(false).graded(s, res)
}

// stepChecks is the test names of step s, from the course's list.
func stepChecks(s course.Step) []string {
	root, err := course.Root()
	if err != nil {
		panic(err)
	}
	m, err := tamper.Load(root)
	if err != nil {
		panic(err)
	}
	names, _ := m.Checks(s.Slug)
	return names
}

// want is what the dashboard must show of a learner.
type want struct {
	Name, Step, Checks, Failing string
	Stuck                       bool
}

// roomSteps is where a room of learners is, an hour or two in: most on
// the early steps, a few ahead.
var roomSteps = []int{1, 2, 2, 2, 3, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 6, 6, 7, 8, 10}

var firstNames = strings.Fields(`Ada Alan Amal Ann Ari Bea Bob Cai Cy Dee Eli Ema Eva Fay Gus Hal Ida Ivo Jan Jo
	Kai Kim Lea Leo Liv Max Mei Mia Ned Nia Noa Oli Pam Per Quy Ray Ria Rob Sam Sia Sol Tam Teo Tia Uma Una Val
	Vic Wes Wyn Xia Yan Yui Zak Zed Zia Zoe Ola Uri`)

func TestClassroomDashboardShowsSixtyLearnersLive(t *testing.T) {
	// What the page shows is on trial here, not the checker's speed: on a
	// loaded machine (or under -race) a grade may take longer to reach the
	// dashboard than a learner's command waits for it.
	defer func(w time.Duration) { classroom.Wait = w }(classroom.Wait)
	classroom.Wait = wstest.Patience
	c := course.MustLoad()
	srv, err := dashboard.Listen("127.0.0.1:0", dashboard.Config{Code: "K7QX2M", Course: c})
	require.NoError(t, err)
	closeSrv := sync.OnceFunc(func() { srv.Close() })
	wstest.CleanupWithin(t, wstest.Patience, closeSrv)
	addr := srv.Addr().String()

	// 60 learners join through make join's code and grade through make
	// stepN's, side by side. Every ninth is stuck: the same check fails on
	// five grades in a row. The last has a name that is HTML.
	names := append(slices.Clone(firstNames[:59]), "Zoë <img src=x onerror=title=7>")
	learners := make([]learner, len(names))
	wants := map[string]want{}
	counts := map[int]int{}
	var wg sync.WaitGroup
	for i, name := range names {
		learners[i] = newLearner(t, c)
		n := roomSteps[i%len(roomSteps)]
		s, _ := c.Step(n)
		checks := stepChecks(s)
		passed, grades := i%len(checks), 1+i%2
		if i%9 == 0 {
			grades = dashboard.StuckStreak
		}
		wants[name] = want{Name: name, Step: strconv.Itoa(n), Checks: fmt.Sprintf("%d/%d", passed, len(checks)),
			Failing: grade.Sentence(checks[passed]), Stuck: i%9 == 0}
		counts[n]++
		wg.Go(func() {
			l := learners[i]
			if code, err := l.env.join(context.Background(), []string{addr, "K7QX2M", name}); code != 0 {
				t.Errorf("%s could not join: %v", name, err)
				return
			}
			for range grades {
				l.grade(c, n, passed)
			}
		})
	}
	wg.Wait()
	require.False(t, t.Failed())

	b := browser.Start(t, browser.Chromium)
	page := b.Open(t, "http://"+addr+"/")
	patience := 5 * wstest.Patience
	require.NoError(t, page.WaitFor(`document.querySelectorAll("#rows tr").length === 60`, patience),
		"the page should show a row per learner (console: %q)", page.Console())
	var rows []want
	require.NoError(t, page.Eval(`Array.from(document.querySelectorAll("#rows tr")).map((tr) => ({
		Name: tr.querySelector(".name").textContent, Step: tr.querySelector(".step").textContent,
		Checks: tr.querySelector(".checks").textContent, Failing: tr.querySelector(".failing").textContent,
		Stuck: tr.classList.contains("stuck") && tr.querySelector(".stuck").textContent !== ""}))`, &rows))
	for _, r := range rows {
		assert.Equal(t, wants[r.Name], r, "the row of %q", r.Name)
	}
	var bars map[string]int
	require.NoError(t, page.Eval(`Object.fromEntries(Array.from(document.querySelectorAll(".bar")).map((b) => [b.dataset.step, +b.dataset.count]))`, &bars))
	for _, s := range c.Steps {
		assert.Equal(t, counts[s.Number], bars[strconv.Itoa(s.Number)], "the bar of step %d", s.Number)
	}
	var title string
	require.NoError(t, page.Eval(`document.querySelector("#rows img") === null ? document.title : "an img element"`, &title))
	assert.NotEqual(t, "7", title, "a learner's name is shown as text, never run as HTML")
	assert.NotEqual(t, "an img element", title, "a learner's name is shown as text, never parsed as HTML")

	// The instructor posts from the page on the dashboard's machine; the
	// learner's next grade prints it, once.
	require.NoError(t, page.WaitFor(`!document.getElementById("announce").hidden`, patience), "the page on this machine may post")
	require.NoError(t, page.Eval(`document.getElementById("text").value = "break until 15:00";
		document.getElementById("announce").requestSubmit(); true`, nil))
	require.NoError(t, page.WaitFor(`document.getElementById("announcement").textContent === "Instructor: break until 15:00"`, patience))
	ann := learners[1]
	ann.out.Reset()
	ann.grade(c, 2, 1)
	assert.Contains(t, ann.out.String(), "Instructor: break until 15:00", "the announcement shows in the learner's next checker output")
	ann.out.Reset()
	ann.grade(c, 2, 1)
	assert.NotContains(t, ann.out.String(), "Instructor:", "an announcement is shown once")
	takeClassroomScreenshot(t, page)

	// The projector view: the bars, large, and no names.
	projector := b.Open(t, "http://"+addr+"/#projector")
	require.NoError(t, projector.WaitFor(`document.querySelectorAll("#rows tr").length === 60`, patience))
	var shown struct{ Table, Bars string }
	require.NoError(t, projector.Eval(`({Table: getComputedStyle(document.querySelector("table")).display,
		Bars: getComputedStyle(document.getElementById("bars")).display})`, &shown))
	assert.Equal(t, "none", shown.Table, "the projector view shows no names")
	assert.Equal(t, "grid", shown.Bars, "the projector view shows the bars")

	// The dashboard restarts: the page reconnects, and a learner's next
	// grade brings back its row, stuck mark included.
	closeSrv()
	srv2, err := dashboard.Listen(addr, dashboard.Config{Code: "K7QX2M", Course: c})
	require.NoError(t, err, "listening again on %s", addr)
	wstest.CleanupWithin(t, wstest.Patience, func() { srv2.Close() })
	learners[0].grade(c, 1, 0)
	require.NoError(t, page.WaitFor(`document.querySelectorAll("#rows tr").length === 1 &&
		document.querySelector("#rows tr .stuck").textContent === "same ✗ for 6 grades"`, patience),
		"after a restart, a learner's next grade brings back its row with its streak")
}

func takeClassroomScreenshot(t *testing.T, page *browser.Page) {
	png, err := page.Screenshot(1100, 760)
	require.NoError(t, err)
	assert.Less(t, len(png), 200<<10, "the guide's screenshot stays under 200 KB")
	if *screenshot != "" {
		require.NoError(t, os.WriteFile(*screenshot, png, 0o644))
		t.Logf("wrote %s", *screenshot)
	}
}

func TestAStoppedDashboardChangesNothingButAMoment(t *testing.T) {
	c := course.MustLoad()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	dead := ln.Addr().String()
	ln.Close()
	l := newLearner(t, c)
	require.NoError(t, l.env.workspace().SetClassroom(&workspace.Classroom{Addr: dead, Code: "K7QX2M", Name: "ann"}))
	start := time.Now()
	l.grade(c, 3, 2)
	assert.Less(t, time.Since(start), classroom.Wait+time.Second, "a stopped dashboard costs %v at most (with slack for a loaded machine)", classroom.Wait)
	assert.Empty(t, l.out.String(), "a dashboard that is away prints nothing")
}

func TestTheCheckerOffersTheNextHintOnceAfterThreeRunsOnTheSameCheck(t *testing.T) {
	c := course.MustLoad()
	l := newLearner(t, c)
	for range 2 {
		l.grade(c, 3, 2)
	}
	assert.NotContains(t, l.out.String(), "Stuck on", "two runs are not stuck yet")
	l.grade(c, 3, 2)
	s3, _ := c.Step(3)
	assert.Contains(t, l.out.String(), fmt.Sprintf("Stuck on %q for 3 runs: make hint STEP=3", grade.Sentence(stepChecks(s3)[2])))
	l.out.Reset()
	l.grade(c, 3, 2)
	assert.NotContains(t, l.out.String(), "Stuck on", "the hint is offered once")
	l.grade(c, 3, 3)
	l.out.Reset()
	l.env.printTimes()
	assert.Contains(t, l.out.String(), "Step 3 · handshake")
	assert.Contains(t, l.out.String(), "5 grades")
}

func TestAHintTellsTheDashboardTooWithTheStepsLastGrade(t *testing.T) {
	c := course.MustLoad()
	srv, err := dashboard.Listen("127.0.0.1:0", dashboard.Config{Code: "K7QX2M", Course: c})
	require.NoError(t, err)
	wstest.CleanupWithin(t, wstest.Patience, func() { srv.Close() })
	defer func(w time.Duration) { classroom.Wait = w }(classroom.Wait)
	classroom.Wait = wstest.Patience // the rows are on trial here, not the speed

	l := newLearner(t, c)
	code, err := l.env.join(context.Background(), []string{srv.Addr().String(), "K7QX2M", "ann"})
	require.Equal(t, 0, code, "joining: %v", err)
	l.grade(c, 3, 2)
	s3, _ := c.Step(3)
	_, err = l.env.workspace().TakeHint(s3.Slug, 3)
	require.NoError(t, err)
	l.env.tell(dashboard.KindHint, s3)
	rows := srv.Room().Rows(time.Now())
	require.Len(t, rows, 1)
	assert.Equal(t, 1, rows[0].Hints, "make hint tells the dashboard the hints taken")
	assert.Equal(t, 2, rows[0].Passed, "with the step's last grade")
	assert.Equal(t, 3, rows[0].Step)
}
