package hub

import (
	"cmp"
	"fmt"
	"io"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	frame "github.com/wsfromtcp/workshop/steps/04-frame-decode"
	control "github.com/wsfromtcp/workshop/steps/08-control"
	"github.com/wsfromtcp/workshop/tools/wstest"
)

// These tests run the hub behind step 8's Serve, with h.Handle for every
// connection, and talk to it with gorilla/websocket, a client that nothing
// in this workshop wrote.

// bigQueue is the queue length of most of these tests: longer than any
// burst of broadcasts they send, so that a client that reads is never
// dropped, however the goroutines are scheduled.
const bigQueue = 1024

// probe is what the tests broadcast to learn that a client is in the hub:
// Handle joins on the server, after the handshake, out of the test's sight.
// Readers drop probes.
const probe = "probe"

// server is a hub behind a real WebSocket server.
type server struct {
	h    *Hub
	srv  io.Closer
	addr string
}

// serveHub starts a hub with queues of queueLen messages, and a server on a
// free loopback port that serves every connection with h.Handle. When the
// test ends it stops both, giving up after Patience.
func serveHub(t *testing.T, queueLen int) *server {
	t.Helper()
	h := New(queueLen)
	require.NotNil(t, h, "New must return the hub")
	go h.Run()
	srv, err := control.Serve("127.0.0.1:0", h.Handle)
	require.NoError(t, err, "control.Serve on 127.0.0.1:0 should succeed (it is your steps 1, 3 and 8)")
	wstest.CleanupWithin(t, wstest.Patience, func() {
		h.Stop()
		srv.Close()
	})
	return &server{h: h, srv: srv, addr: srv.Addr().String()}
}

// shutdown stops the hub, then the server, as a chat server does when it
// goes down: every client gets its 1001 from the hub before the server
// hangs up.
func (s *server) shutdown(t *testing.T) {
	t.Helper()
	require.True(t, wstest.Within(wstest.Patience, s.h.Stop),
		"Stop did not return within %v with clients connected: Run must close every client and wait for their writers, and the writers must end", wstest.Patience)
	require.True(t, wstest.Within(wstest.Patience, func() { s.srv.Close() }),
		"the server did not close within %v after Stop: each Handle must return once its connection ends, and Leave must not block on a stopped hub", wstest.Patience)
}

// broadcast calls Broadcast from the server (from nil) for each message in
// turn, failing the test if a call blocks.
func (s *server) broadcast(t *testing.T, op frame.Opcode, msgs ...[]byte) {
	t.Helper()
	require.True(t, wstest.Within(wstest.Patience, func() {
		for _, m := range msgs {
			s.h.Broadcast(nil, op, m)
		}
	}), "%d Broadcast calls did not return within %v: Run must never wait for a client", len(msgs), wstest.Patience)
}

// awaitJoined broadcasts probes until every reader has received one, so
// that the test knows they are all in the hub.
func (s *server) awaitJoined(t *testing.T, readers ...*reader) {
	t.Helper()
	deadline := time.Now().Add(wstest.Patience)
	pending := slices.Clone(readers)
	for len(pending) > 0 && time.Now().Before(deadline) {
		s.broadcast(t, frame.OpText, []byte(probe))
		round := time.Now().Add(20 * time.Millisecond)
		pending = slices.DeleteFunc(pending, func(r *reader) bool { return closedBy(r.joined, round) })
	}
	require.Empty(t, pending, "%d of %d clients got no broadcast within %v of connecting: Handle must Join the hub, "+
		"and Run must put every broadcast in the queue of every client", len(pending), len(readers), wstest.Patience)
}

// closedBy reports whether ch is closed by the time until.
func closedBy(ch <-chan struct{}, until time.Time) bool {
	select {
	case <-ch:
		return true
	default:
	}
	select {
	case <-ch:
		return true
	case <-time.After(time.Until(until)):
		return false
	}
}

// stall brings every client that does not read into the state of one that
// stopped reading a while ago: first 8 MiB, twice what the TCP buffers of a
// loopback connection hold when its client reads nothing (4 MiB by default
// on Linux and macOS), so that its writer is stuck in a write; then half a
// queue of small messages. w, a client that reads, gets the same; stall
// waits until it has them all, so that w's own queue is empty again.
func (s *server) stall(t *testing.T, w *reader) {
	t.Helper()
	s.broadcast(t, frame.OpBinary, slices.Repeat([][]byte{make([]byte, 1<<20)}, 8)...)
	s.broadcast(t, frame.OpBinary, slices.Repeat([][]byte{[]byte("x")}, bigQueue/2)...)
	s.broadcast(t, frame.OpText, []byte("stalled"))
	w.expect(t, "stalled", "a client that reads must get 8 MiB and 512 small messages, then this text")
}

// dial connects a client, with deadlines on every read and write.
func dial(t *testing.T, addr string) *websocket.Conn {
	t.Helper()
	d := websocket.Dialer{HandshakeTimeout: wstest.Patience}
	ws, resp, err := d.Dial("ws://"+addr+"/", nil)
	if resp != nil {
		resp.Body.Close()
	}
	require.NoError(t, err, "gorilla/websocket could not connect: run make step8 first")
	deadline := time.Now().Add(2 * wstest.Patience)
	_ = ws.SetReadDeadline(deadline)
	_ = ws.SetWriteDeadline(deadline)
	t.Cleanup(func() { ws.Close() })
	return ws
}

// send writes a text message from a client.
func send(t *testing.T, ws *websocket.Conn, text string) {
	t.Helper()
	require.NoError(t, ws.WriteMessage(websocket.TextMessage, []byte(text)), "the client could not send %q", text)
}

// reader reads a client's messages on a goroutine of its own and hands
// them to the test: the test goroutine alone may assert.
type reader struct {
	name   string
	ws     *websocket.Conn
	texts  chan string   // every text message but probes, in order
	joined chan struct{} // closed at the first probe: the client is in the hub
	end    chan error    // the error that ended the reading
}

// startReader reads from ws until the connection ends. Binary messages are
// dropped: the tests use them as ballast.
func startReader(name string, ws *websocket.Conn) *reader {
	r := &reader{name: name, ws: ws, texts: make(chan string, 2*bigQueue), joined: make(chan struct{}), end: make(chan error, 1)}
	go func() {
		probed := false
		for {
			kind, data, err := ws.ReadMessage()
			switch {
			case err != nil:
				r.end <- err
				return
			case kind != websocket.TextMessage:
			case string(data) == probe:
				if !probed {
					probed = true
					close(r.joined)
				}
			default:
				r.texts <- string(data)
			}
		}
	}()
	return r
}

// next returns the client's next text message, waiting at most Patience.
func (r *reader) next(t *testing.T, why string) string {
	t.Helper()
	select {
	case m := <-r.texts:
		return m
	case err := <-r.end:
		// The reader hands over every message before the end: look again.
		r.end <- err
		select {
		case m := <-r.texts:
			return m
		default:
		}
		require.FailNow(t, fmt.Sprintf("%s's connection ended (%v) while it waited for a message: %s", r.name, err, why))
	case <-time.After(wstest.Patience):
		require.FailNow(t, fmt.Sprintf("%s got no message within %v: %s", r.name, wstest.Patience, why))
	}
	return ""
}

// expect checks that the client's next text message is want.
func (r *reader) expect(t *testing.T, want, why string) {
	t.Helper()
	require.Equal(t, want, r.next(t, why), "%s: %s", r.name, why)
}

// ended waits at most Patience for the connection to end and returns the
// close frame the server sent, failing the test when there was none.
func (r *reader) ended(t *testing.T, why string) *websocket.CloseError {
	t.Helper()
	select {
	case err := <-r.end:
		var ce *websocket.CloseError
		require.ErrorAs(t, err, &ce, "%s's connection ended without a close frame (%v): %s", r.name, err, why)
		return ce
	case <-time.After(wstest.Patience):
		require.FailNow(t, fmt.Sprintf("%s's connection did not end within %v: %s", r.name, wstest.Patience, why))
		return nil
	}
}

func TestFiftyClientsGetAThousandBroadcastsWhileOneNeverReads(t *testing.T) {
	before := runtime.NumGoroutine()
	s := serveHub(t, bigQueue)

	// The first reader sees the slow client arrive: the slow client never
	// reads, so it cannot see a probe.
	readers := []*reader{startReader("client 0", dial(t, s.addr))}
	s.awaitJoined(t, readers[0])
	slow := dial(t, s.addr)
	send(t, slow, "the slow client is here")
	readers[0].expect(t, "the slow client is here", "Handle must broadcast what its client sends to every other client")
	s.stall(t, readers[0])
	for i := 1; i < 50; i++ {
		readers = append(readers, startReader(fmt.Sprintf("client %d", i), dial(t, s.addr)))
	}
	s.awaitJoined(t, readers[1:]...)

	// The slow client's writer is stuck and its queue half full: somewhere
	// in these 1,000 broadcasts it overflows.
	want := numbers(1000)
	start := time.Now()
	require.True(t, wstest.Within(wstest.Patience, func() {
		for _, w := range want {
			s.h.Broadcast(nil, frame.OpText, []byte(w))
		}
	}), "1,000 Broadcast calls did not return within %v while one client never read: Run must never wait for a client. "+
		"Put each message in a client's queue with a select that has a default case, and drop the client when the queue is full", wstest.Patience)
	deadline := time.After(time.Until(start.Add(wstest.Patience)))
	for _, r := range readers {
	receive:
		for i, w := range want {
			select {
			case got := <-r.texts:
				if !assert.Equal(t, w, got, "%s must get the broadcasts in order; message %d is wrong", r.name, i) {
					break receive
				}
			case err := <-r.end:
				require.FailNow(t, fmt.Sprintf("%s's connection ended (%v) after %d of the 1,000 broadcasts: a client that reads must never be dropped", r.name, err, i))
			case <-deadline:
				require.FailNow(t, fmt.Sprintf("%s got %d of the 1,000 broadcasts within %v while one client never read: "+
					"each client needs its own writer goroutine, so that a stuck write holds up nobody else", r.name, i, wstest.Patience))
			}
		}
	}
	t.Logf("50 clients got 1,000 broadcasts each in %v", time.Since(start).Round(time.Millisecond))

	// The slow client hangs up: its stuck write fails at once, instead of
	// at step 8's write deadline.
	slow.Close()
	s.shutdown(t)
	got, where := wstest.SettleGoroutines(before)
	assert.LessOrEqual(t, got, before, "after Stop and the server's Close, %d goroutines were still running (there were %d before the test). "+
		"Run, every writer and every Handle must return; these are still running:\n%s", got, before, where)
}

func TestAClientThatNeverReadsIsClosedWith1008(t *testing.T) {
	s := serveHub(t, bigQueue)
	w := startReader("a client that reads", dial(t, s.addr))
	s.awaitJoined(t, w)
	slow := dial(t, s.addr)
	send(t, slow, "the slow client is here")
	w.expect(t, "the slow client is here", "Handle must broadcast what its client sends to every other client")
	s.stall(t, w)
	s.broadcast(t, frame.OpText, slices.Repeat([][]byte{[]byte("more")}, bigQueue)...)

	// At last the slow client reads: its backlog, then the close frame.
	_ = slow.SetReadDeadline(time.Now().Add(wstest.Patience))
	var ce *websocket.CloseError
	for {
		_, _, err := slow.ReadMessage()
		if err != nil {
			require.ErrorAs(t, err, &ce, "the client whose queue overflowed must get a close frame, after what its writer still held, "+
				"but its connection ended with %v", err)
			break
		}
	}
	assert.Equal(t, int(TooSlow), ce.Code, "a client whose queue is full is closed with 1008, policy violation (RFC 6455 §7.4.1)")
	assert.Equal(t, tooSlowReason, ce.Text, "the close frame says why (RFC 6455 §5.5.1)")
	w.expect(t, "more", "the client that reads is still in the hub")
}

func TestHandleRelaysEachMessageToEveryOtherClientInOrder(t *testing.T) {
	s := serveHub(t, 64)
	alice := startReader("alice", dial(t, s.addr))
	bob := startReader("bob", dial(t, s.addr))
	carol := startReader("carol", dial(t, s.addr))
	s.awaitJoined(t, alice, bob, carol)

	texts := []string{"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"}
	for _, m := range texts {
		send(t, alice.ws, m)
	}
	for _, r := range []*reader{bob, carol} {
		for _, m := range texts {
			r.expect(t, m, "Handle must read each message its client sends and broadcast it; the others get them in order")
		}
	}
	// Bob answers only once he has all ten: if alice had her own messages
	// back, they would come before his answer.
	send(t, bob.ws, "got them")
	carol.expect(t, "got them", "every client but the sender gets the message")
	alice.expect(t, "got them", "alice must not get her own ten messages back: Handle broadcasts from its own client, and Broadcast skips it")
}

func TestHandleLeavesTheHubWhenTheClientGoes(t *testing.T) {
	s := serveHub(t, 64)
	before := runtime.NumGoroutine()
	ws := dial(t, s.addr)
	r := startReader("bob", ws)
	s.awaitJoined(t, r)

	require.NoError(t, ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, "bye"), time.Now().Add(wstest.Patience)))
	r.ended(t, "the server answers a close frame (step 8)")
	ws.Close()

	got, where := wstest.SettleGoroutines(before)
	assert.LessOrEqual(t, got, before, "after the client left, %d goroutines were running, %d before it came, while the hub runs on. "+
		"When ReadMessage fails, Handle must Leave, so that Run closes the client's queue and its writer ends. These are still running:\n%s", got, before, where)
}

func TestStopClosesEveryConnectedClientWith1001(t *testing.T) {
	before := runtime.NumGoroutine()
	s := serveHub(t, 64)
	readers := make([]*reader, 10)
	for i := range readers {
		readers[i] = startReader(fmt.Sprintf("client %d", i), dial(t, s.addr))
	}
	s.awaitJoined(t, readers...)
	s.broadcast(t, frame.OpText, []byte("last words"))

	s.shutdown(t)
	for _, r := range readers {
		r.expect(t, "last words", "what was broadcast before Stop is sent before the close frame")
		ce := r.ended(t, "Stop must close every client with a close frame")
		assert.Equal(t, websocket.CloseGoingAway, ce.Code, "%s: on shutdown every client is closed with 1001, going away (RFC 6455 §7.4.1)", r.name)
		assert.Equal(t, goingAwayReason, ce.Text, "%s: the close frame says why", r.name)
	}
	got, where := wstest.SettleGoroutines(before)
	assert.LessOrEqual(t, got, before, "after Stop and the server's Close, %d goroutines were still running (there were %d before the test). "+
		"Run, every writer and every Handle must return; these are still running:\n%s", got, before, where)
}

// chatter is what one client of TestTwoHundredClients… saw, reported to the
// test goroutine.
type chatter struct {
	id       int
	leaves   bool  // it closed the connection itself after sending
	err      error // it could not connect or send
	problem  string
	received int
	end      error // what ended its connection
}

// chat connects, sends each messages "id/0", "id/1", …, closes the
// connection itself when leaves is set, and reads until the connection
// ends, checking that each sender's messages come in order and that none
// of its own come back. It calls sent.Done once it has sent (or failed).
func chat(addr string, id, each int, leaves bool, sent *sync.WaitGroup) (c chatter) {
	c.id, c.leaves = id, leaves
	done := sync.OnceFunc(sent.Done)
	defer done()
	d := websocket.Dialer{HandshakeTimeout: wstest.Patience}
	ws, resp, err := d.Dial("ws://"+addr+"/", nil)
	if resp != nil {
		resp.Body.Close()
	}
	if err != nil {
		c.err = err
		return c
	}
	defer ws.Close()
	deadline := time.Now().Add(2 * wstest.Patience)
	_ = ws.SetReadDeadline(deadline)
	_ = ws.SetWriteDeadline(deadline)
	for j := range each {
		if c.err = ws.WriteMessage(websocket.TextMessage, fmt.Appendf(nil, "%d/%d", id, j)); c.err != nil {
			return c
		}
	}
	if leaves {
		c.err = ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, "bye"), deadline)
	}
	done()
	last := map[int]int{}
	for {
		_, data, err := ws.ReadMessage()
		if err != nil {
			c.end = err
			return c
		}
		var from, seq int
		if _, err := fmt.Sscanf(string(data), "%d/%d", &from, &seq); err != nil {
			c.problem = cmp.Or(c.problem, fmt.Sprintf("it got %q, which no client sent", data))
			continue
		}
		if from == id {
			c.problem = cmp.Or(c.problem, fmt.Sprintf("it got its own message %q back", data))
		}
		if prev, seen := last[from]; seen && seq <= prev {
			c.problem = cmp.Or(c.problem, fmt.Sprintf("it got %d/%d after %d/%d", from, seq, from, prev))
		}
		last[from] = seq
		c.received++
	}
}

func TestTwoHundredClientsJoinBroadcastAndLeaveConcurrently(t *testing.T) {
	before := runtime.NumGoroutine()
	s := serveHub(t, bigQueue)
	const clients, each = 200, 2
	var sent sync.WaitGroup
	sent.Add(clients)
	results := make(chan chatter, clients)
	for i := range clients {
		go func() { results <- chat(s.addr, i, each, i%2 == 0, &sent) }()
	}
	require.True(t, wstest.Within(2*wstest.Patience, sent.Wait), "200 clients could not all connect and send %d messages within %v", each, 2*wstest.Patience)
	require.True(t, wstest.Within(wstest.Patience, s.h.Stop),
		"Stop did not return within %v while clients were joining, sending and leaving", wstest.Patience)

	timeout := time.After(wstest.Patience)
	received := 0
	for range clients {
		var c chatter
		select {
		case c = <-results:
		case <-timeout:
			require.FailNow(t, fmt.Sprintf("some clients' connections did not end within %v of Stop: Stop must close every client", wstest.Patience))
		}
		if !assert.NoError(t, c.err, "client %d could not connect or send", c.id) {
			continue
		}
		received += c.received
		assert.Empty(t, c.problem, "client %d: each sender's messages must arrive in order, and never back at their sender", c.id)
		var ce *websocket.CloseError
		if !assert.ErrorAs(t, c.end, &ce, "client %d's connection ended without a close frame", c.id) {
			continue
		}
		if c.leaves {
			assert.Contains(t, []int{websocket.CloseNormalClosure, websocket.CloseGoingAway}, ce.Code,
				"client %d closed with 1000 and should get 1000 back, or 1001 if Stop closed it first", c.id)
		} else {
			assert.Equal(t, websocket.CloseGoingAway, ce.Code, "client %d stayed until Stop, which closes every client with 1001", c.id)
		}
	}

	t.Logf("%d clients got %d messages in all", clients, received)

	require.True(t, wstest.Within(wstest.Patience, func() { s.srv.Close() }),
		"the server did not close within %v after Stop: each Handle must return once its connection ends, and Leave must not block on a stopped hub", wstest.Patience)
	got, where := wstest.SettleGoroutines(before)
	assert.LessOrEqual(t, got, before, "after Stop and the server's Close, %d goroutines were still running (there were %d before the test); these are still running:\n%s", got, before, where)
}
