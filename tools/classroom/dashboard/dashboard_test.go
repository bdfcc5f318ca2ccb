package dashboard

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wsfromtcp/workshop/tools/course"
	"github.com/wsfromtcp/workshop/tools/wstest"
)

const testCode = "K7QX2M"

// start runs a dashboard on a free loopback port for the test.
func start(t *testing.T) *Server {
	t.Helper()
	srv, err := Listen("127.0.0.1:0", Config{Code: testCode, Token: "secret-token", Course: course.MustLoad()})
	require.NoError(t, err)
	wstest.CleanupWithin(t, wstest.Patience, func() { srv.Close() })
	return srv
}

// dial opens a WebSocket to path on srv, as a checker or a page would.
func dial(t *testing.T, srv *Server, path string) *websocket.Conn {
	t.Helper()
	c, resp, err := websocket.DefaultDialer.Dial("ws://"+srv.Addr().String()+path, nil)
	require.NoError(t, err, "dialling %s", path)
	if resp != nil {
		resp.Body.Close()
	}
	_ = c.SetReadDeadline(time.Now().Add(wstest.Patience))
	t.Cleanup(func() { c.Close() })
	return c
}

// grade is a learner's grade event.
func grade(name string, step, passed int) Event {
	return Event{Kind: KindGrade, Code: testCode, Name: name, ID: fmt.Sprintf("%016x", len(name)), Step: step, Passed: passed, Total: 9, Failing: "Accept key matches the RFC sample", Time: time.Now()}
}

// send sends ev on c and returns the reply.
func send(t *testing.T, c *websocket.Conn, ev any) Reply {
	t.Helper()
	require.NoError(t, c.WriteJSON(ev))
	var r Reply
	require.NoError(t, c.ReadJSON(&r))
	return r
}

// closeCode reads from c until the dashboard closes it, and returns the
// close frame's code.
func closeCode(t *testing.T, c *websocket.Conn) int {
	t.Helper()
	for {
		if _, _, err := c.ReadMessage(); err != nil {
			var ce *websocket.CloseError
			require.ErrorAs(t, err, &ce, "the dashboard must close the connection with a close frame")
			return ce.Code
		}
	}
}

func TestParseEventAcceptsAGradeAndRefusesWhatIsNotOne(t *testing.T) {
	good := `{"kind":"grade","code":"K","name":" ann ","id":"0123456789abcdef","step":3,"passed":4,"total":9,"failing":"x","hints":1,"streak":2,"onStep":60,"time":"2026-11-30T10:00:00Z"}`
	ev, err := ParseEvent([]byte(good), 11)
	require.NoError(t, err)
	assert.Equal(t, "ann", ev.Name, "the name is trimmed")
	for _, tc := range []struct{ name, data string }{
		{"malformed JSON", `{"kind":"grade",`},
		{"unknown field", `{"kind":"grade","code":"K","name":"ann","id":"0123456789abcdef","step":3,"code_of_learner":"package main"}`},
		{"two values", good + good},
		{"no code", `{"kind":"join","name":"ann","id":"0123456789abcdef"}`},
		{"no id", `{"kind":"join","code":"K","name":"ann"}`},
		{"an id that is not hex", `{"kind":"join","code":"K","name":"ann","id":"<script>alert(1)</script>"}`},
		{"unknown kind", `{"kind":"exec","code":"K","name":"ann","id":"0123456789abcdef","step":3}`},
		{"step beyond the course", `{"kind":"grade","code":"K","name":"ann","id":"0123456789abcdef","step":12}`},
		{"more passed than total", `{"kind":"grade","code":"K","name":"ann","id":"0123456789abcdef","step":3,"passed":5,"total":4}`},
		{"long name", `{"kind":"join","code":"K","id":"0123456789abcdef","name":"` + strings.Repeat("a", MaxNameRunes+1) + `"}`},
		{"control character in the name", `{"kind":"join","code":"K","id":"0123456789abcdef","name":"ann\u001b[2J"}`},
		{"empty name", `{"kind":"join","code":"K","id":"0123456789abcdef","name":"  "}`},
		{"long check name", `{"kind":"grade","code":"K","name":"ann","id":"0123456789abcdef","step":3,"total":1,"failing":"` + strings.Repeat("x", MaxCheckRunes+1) + `"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseEvent([]byte(tc.data), 11)
			assert.ErrorIs(t, err, ErrBadEvent)
		})
	}
}

func TestRoomMarksStuckLearnersByStreakOrByTime(t *testing.T) {
	now := time.Now()
	r := NewRoom(testCode, course.MustLoad())
	streak := grade("ann", 3, 2)
	streak.Streak = StuckStreak
	long := grade("bob", 3, 2) // step 3 is 40 minutes in steps.json
	long.OnStep = 41 * 60
	fresh := grade("cy", 3, 2)
	fresh.Streak, fresh.OnStep = StuckStreak-1, 39*60
	done := grade("dee", 3, 9)
	done.Streak, done.OnStep = StuckStreak, 99*60
	for _, ev := range []Event{streak, long, fresh, done} {
		require.True(t, r.Receive(ev, now).OK)
	}
	rows := r.Rows(now)
	require.Len(t, rows, 4)
	assert.Equal(t, "same ✗ for 5 grades", rows[0].Stuck)
	assert.Equal(t, "41 min on a 40-min step", rows[1].Stuck)
	assert.Empty(t, rows[2].Stuck, "4 grades and 39 minutes are not stuck yet")
	assert.Empty(t, rows[3].Stuck, "a step that passes is never stuck")
}

func TestAHintWithoutAScoreKeepsTheRowsScore(t *testing.T) {
	now := time.Now()
	r := NewRoom(testCode, course.MustLoad())
	require.True(t, r.Receive(grade("ann", 3, 4), now).OK)
	hint := Event{Kind: KindHint, Code: testCode, Name: "ann", ID: grade("ann", 3, 4).ID, Step: 3, Hints: 2}
	require.True(t, r.Receive(hint, now).OK)
	rows := r.Rows(now)
	assert.Equal(t, 2, rows[0].Hints)
	assert.Equal(t, 4, rows[0].Passed, "a hint does not wipe the step's last grade")
}

func TestRoomRefusesAWrongCodeAndAFloodButNotTheOthers(t *testing.T) {
	now := time.Now()
	r := NewRoom(testCode, course.MustLoad())
	wrong := grade("ann", 3, 1)
	wrong.Code = "GUESS1"
	assert.Contains(t, r.Receive(wrong, now).Error, "wrong class code")
	accepted := 0
	for range 1000 { // 1,000 events in the same second
		if r.Receive(grade("flood", 3, 1), now).OK {
			accepted++
		}
	}
	assert.LessOrEqual(t, accepted, eventBurst+1, "one learner's flood is limited to the burst")
	assert.True(t, r.Receive(grade("bob", 4, 2), now).OK, "another learner is not limited by the flood")
	assert.True(t, r.Receive(grade("flood", 3, 1), now.Add(time.Second)).OK, "the flooder gets tokens back with time")
	other := grade("bob", 4, 2)
	other.ID = "ffffffffffffffff"
	assert.Contains(t, r.Receive(other, now).Error, `someone else in this classroom is called "bob"`, "two learners cannot share a name")
}

func TestHostileLearnersAreRefusedWhileOthersGoOn(t *testing.T) {
	srv := start(t)
	page := dial(t, srv, "/live")
	var hello struct{ Type, Code string }
	require.NoError(t, page.ReadJSON(&hello))
	require.Equal(t, testCode, hello.Code, "the page shows the join code")

	big := dial(t, srv, "/ws")
	require.NoError(t, big.WriteMessage(websocket.TextMessage, []byte(`{"kind":"grade","name":"`+strings.Repeat("a", MaxEventSize)+`"}`)))
	assert.Equal(t, websocket.CloseMessageTooBig, closeCode(t, big), "an oversized event fails the connection with 1009")

	bad := dial(t, srv, "/ws")
	r := send(t, bad, json.RawMessage(`{"kind":"grade","code":"K7QX2M","name":"x","id":"0123456789abcdef","step":3,"exploit":true}`))
	assert.False(t, r.OK)
	assert.Contains(t, r.Error, "unknown field")
	assert.Equal(t, websocket.ClosePolicyViolation, closeCode(t, bad), "a malformed event closes the connection with 1008")

	// A learner that vanishes in the middle of a frame: the header of a
	// 100-byte masked text frame, then nothing, then gone.
	raw, err := net.Dial("tcp", srv.Addr().String())
	require.NoError(t, err)
	_, err = raw.Write([]byte("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n\x81\xe4\x01\x02"))
	require.NoError(t, err)
	raw.Close()

	// 1,000 events a second from one learner, beside a learner who grades
	// now and then: the flood is answered "too many", the other learner
	// never is, and the page shows the other learner's last grade.
	flood := dial(t, srv, "/ws")
	type result struct {
		accepted int
		took     time.Duration
	}
	done := make(chan result)
	go func() {
		start, accepted := time.Now(), 0
		for i := range 1000 {
			if flood.WriteJSON(grade("flood", 3, i%9)) != nil {
				break
			}
			var r Reply
			if flood.ReadJSON(&r) != nil {
				break
			}
			if r.OK {
				accepted++
			}
		}
		done <- result{accepted, time.Since(start)}
	}()
	calm := dial(t, srv, "/ws")
	for i := range 5 {
		r := send(t, calm, grade("calm", 4, i))
		assert.True(t, r.OK, "a learner beside a flood is answered OK: %+v", r)
		time.Sleep(50 * time.Millisecond)
	}
	flooded := <-done
	// The bucket's own arithmetic, whatever the machine's speed: a burst,
	// then eventsPerSecond for as long as the flood lasted.
	assert.LessOrEqual(t, float64(flooded.accepted), eventBurst+eventsPerSecond*flooded.took.Seconds()+1,
		"a flood of 1,000 events is limited to the burst and the rate (it took %v)", flooded.took)
	deadline := time.Now().Add(wstest.Patience)
	for {
		var s Snapshot
		require.NoError(t, page.ReadJSON(&s), "the page keeps getting snapshots")
		if row := find(s.Learners, "calm"); row != nil && row.Passed == 4 {
			break
		}
		require.True(t, time.Now().Before(deadline), "the page never showed calm's last grade")
	}
}

func find(rows []Row, name string) *Row {
	for i := range rows {
		if rows[i].Name == name {
			return &rows[i]
		}
	}
	return nil
}

func TestOnlyTheInstructorsPagePostsAnnouncements(t *testing.T) {
	trustThisMachine = false // the test's pages are strangers, unless they have the token
	defer func() { trustThisMachine = true }()
	srv := start(t)
	stranger := dial(t, srv, "/live")
	require.NoError(t, stranger.WriteJSON(map[string]string{"type": "announce", "text": "free pizza"}))
	assert.Equal(t, websocket.ClosePolicyViolation, closeCode(t, stranger))

	admin := dial(t, srv, "/live?admin=secret-token")
	require.NoError(t, admin.WriteJSON(map[string]string{"type": "announce", "text": "break until 15:00"}))
	learner := dial(t, srv, "/ws")
	deadline := time.Now().Add(wstest.Patience)
	for {
		r := send(t, learner, grade("ann", 3, 1))
		if r.Announcement != nil {
			assert.Equal(t, "break until 15:00", r.Announcement.Text, "only the instructor's announcement is carried")
			break
		}
		require.True(t, time.Now().Before(deadline), "the announcement never reached the learner's reply")
		time.Sleep(200 * time.Millisecond) // within the rate limit
	}
}

func TestAPageOpenedByANameOnThisMachineMayNotPost(t *testing.T) {
	srv := start(t)
	for host, admin := range map[string]bool{srv.Addr().String(): true, "rebound.example:8099": false} {
		c, resp, err := websocket.DefaultDialer.Dial("ws://"+srv.Addr().String()+"/live", map[string][]string{"Host": {host}})
		require.NoError(t, err)
		resp.Body.Close()
		var hello struct{ Admin bool }
		require.NoError(t, c.ReadJSON(&hello))
		c.Close()
		assert.Equal(t, admin, hello.Admin, "a page of this machine opened at %s", host)
	}
}

func TestWebPagesCannotPostEventsNorReadFromAnotherSite(t *testing.T) {
	srv := start(t)
	for path, origin := range map[string]string{"/ws": "http://" + srv.Addr().String(), "/live": "http://evil.example"} {
		h := map[string][]string{"Origin": {origin}}
		_, resp, err := websocket.DefaultDialer.Dial("ws://"+srv.Addr().String()+path, h)
		require.Error(t, err, "%s with Origin %s must be refused", path, origin)
		require.NotNil(t, resp)
		assert.Equal(t, 400, resp.StatusCode)
		resp.Body.Close()
	}
}

func TestExportWritesEveryRowAsCSVAndJSONWithoutFormulas(t *testing.T) {
	r := NewRoom(testCode, course.MustLoad())
	require.True(t, r.Receive(grade("=HYPERLINK(\"x\")", 3, 1), time.Now()).OK)
	require.True(t, r.Receive(grade("bob", 5, 9), time.Now()).OK)
	prefix := t.TempDir() + "/class"
	require.NoError(t, r.Export(prefix, time.Now()))
	csv, err := os.ReadFile(prefix + ".csv")
	require.NoError(t, err)
	js, err := os.ReadFile(prefix + ".json")
	require.NoError(t, err)
	out := append(csv, js...)
	assert.Contains(t, string(out), "'=HYPERLINK", "a cell that starts with = is not a formula")
	assert.Contains(t, string(out), "bob,5,9,9,")
	assert.Contains(t, string(out), `"name": "bob"`)
}

func TestTheDashboardIsBuiltOnRawTCPWithoutNetHTTP(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/wsfromtcp/workshop/tools/classroom").Output()
	require.NoError(t, err)
	for _, pkg := range strings.Fields(string(out)) {
		assert.False(t, pkg == "net/http" || strings.Contains(pkg, "websocket"),
			"the dashboard must not use %s: it runs on the workshop's own server (steps 1–10)", pkg)
	}
}
