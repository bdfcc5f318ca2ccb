package hub

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"net"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	request "github.com/wsfromtcp/workshop/steps/02-request"
	handshake "github.com/wsfromtcp/workshop/steps/03-handshake"
	frame "github.com/wsfromtcp/workshop/steps/04-frame-decode"
	control "github.com/wsfromtcp/workshop/steps/08-control"
	"github.com/wsfromtcp/workshop/tools/wstest"
	"github.com/wsfromtcp/workshop/tools/wstest/assert"
	"github.com/wsfromtcp/workshop/tools/wstest/require"
	"github.com/wsfromtcp/workshop/tools/wstest/wsclient"
)

// These tests run the hub behind a WebSocket server, with h.Handle for
// every connection, and talk to it with gorilla/websocket, a client that
// nothing in this workshop wrote.

// bigQueue is the queue length of most of these tests: longer than any
// burst of broadcasts they send, so that a client that reads is never
// dropped, however the goroutines are scheduled.
const bigQueue = 1024

// sendBuffer and recvBuffer are the kernel buffers of the server's side and
// of a slow client's side of a connection: with them, a client that stops
// reading blocks the server's writes after a few hundred KiB on any
// machine, instead of after whatever the system's TCP autotuning allows.
// ballast is more than both hold: a write of it gets stuck.
const (
	sendBuffer = 64 << 10
	recvBuffer = 64 << 10
	ballastLen = 1 << 20
)

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
// free loopback port that serves every connection with h.Handle, as
// control.Serve does, with a send buffer of sendBuffer. When the test ends
// it stops both, giving up after Patience.
func serveHub(t *testing.T, queueLen int) *server {
	t.Helper()
	h := New(queueLen)
	require.NotNil(t, h, "New must return the hub")
	go h.Run()
	srv, err := handshake.Listen("127.0.0.1:0", func(conn net.Conn, br *bufio.Reader, _ *request.Request) {
		if tc, ok := conn.(*net.TCPConn); ok {
			_ = tc.SetWriteBuffer(sendBuffer)
		}
		c := control.NewConn(conn, br)
		h.Handle(c)
		_ = c.Close(control.StatusNormalClosure, "")
	})
	require.NoError(t, err, "handshake.Listen on 127.0.0.1:0 should succeed (it is your steps 1 and 3)")
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
// turn, failing the test if a call does not return within Patience of the
// one before.
func (s *server) broadcast(t *testing.T, op frame.Opcode, msgs ...[]byte) {
	t.Helper()
	var returned atomic.Int64
	done := make(chan struct{})
	go func() {
		for _, m := range msgs {
			s.h.Broadcast(nil, op, m)
			returned.Add(1)
		}
		close(done) // not deferred: a panic must not look like a return (wstest.Within)
	}()
	if !progressing(done, returned.Load) {
		require.FailNow(t, fmt.Sprintf("Broadcast call %d of %d did not return within %v: Run must never wait for a client. "+
			"Put each message in a client's queue with a select that has a default case, and drop the client when the queue is full",
			returned.Load()+1, len(msgs), wstest.Patience))
	}
}

// texts turns strings into messages.
func texts(ss []string) [][]byte {
	out := make([][]byte, len(ss))
	for i, s := range ss {
		out[i] = []byte(s)
	}
	return out
}

// awaitJoined broadcasts probes until every reader has received one, so
// that the test knows they are all in the hub. The pause between probes
// grows, so that a slow machine gets few probes, not many.
func (s *server) awaitJoined(t *testing.T, readers ...*reader) {
	t.Helper()
	deadline := time.Now().Add(wstest.Patience)
	pending := slices.Clone(readers)
	for pause := 20 * time.Millisecond; len(pending) > 0 && time.Now().Before(deadline); pause = min(2*pause, 500*time.Millisecond) {
		s.broadcast(t, frame.OpText, []byte(probe))
		round := time.Now().Add(pause)
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

// connect opens a WebSocket to addr, closed when the test ends; the caller
// sets deadlines. A slow client gets a small receive buffer, so that the
// server's writes to it block once a few hundred KiB are on their way.
func connect(t *testing.T, addr string, slow bool) (*websocket.Conn, error) {
	if slow {
		return wsclient.Dial(t, "ws://"+addr+"/", wsclient.ReceiveBuffer(recvBuffer))
	}
	return wsclient.Dial(t, "ws://"+addr+"/")
}

// dial connects a client and closes it when the test ends.
func dial(t *testing.T, addr string) *websocket.Conn {
	t.Helper()
	ws, err := connect(t, addr, false)
	require.NoError(t, err, "gorilla/websocket could not connect: run make step8 first")
	return ws
}

// dialMany connects n clients at once, each read by a reader.
func dialMany(t *testing.T, addr string, n int) []*reader {
	t.Helper()
	conns := make([]*websocket.Conn, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { conns[i], errs[i] = connect(t, addr, false) })
	}
	wg.Wait()
	readers := make([]*reader, 0, n)
	for i, ws := range conns {
		require.NoError(t, errs[i], "gorilla/websocket could not connect client %d of %d: run make step8 first", i+1, n)
		readers = append(readers, startReader(fmt.Sprintf("client %d", i), ws))
	}
	return readers
}

// send writes a text message from a client.
func send(t *testing.T, ws *websocket.Conn, text string) {
	t.Helper()
	_ = ws.SetWriteDeadline(time.Now().Add(wstest.Patience))
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
	got    atomic.Int64  // messages of any kind received so far
}

// startReader reads from ws until the connection ends, then closes it. Binary messages are
// dropped: the tests use them as ballast. Each read may take up to twice
// Patience: the tests keep their clients busy, so that only a hang waits
// that long.
func startReader(name string, ws *websocket.Conn) *reader {
	return readUntil(name, ws, false)
}

// startSlow reads from ws until the first probe, and then never again: a
// client that joined the hub and stopped reading.
func startSlow(name string, ws *websocket.Conn) *reader {
	return readUntil(name, ws, true)
}

func readUntil(name string, ws *websocket.Conn, firstProbe bool) *reader {
	r := &reader{name: name, ws: ws, texts: make(chan string, 2*bigQueue), joined: make(chan struct{}), end: make(chan error, 1)}
	go func() {
		probed := false
		for {
			_ = ws.SetReadDeadline(time.Now().Add(2 * wstest.Patience))
			kind, data, err := ws.ReadMessage()
			r.got.Add(1)
			switch {
			case err != nil:
				// Close TCP, as a browser does once the closing handshake
				// is over, so that the server need not wait for it.
				ws.Close()
				r.end <- err
				return
			case kind != websocket.TextMessage:
			case string(data) == probe:
				if !probed {
					probed = true
					close(r.joined)
					if firstProbe {
						return
					}
				}
			default:
				r.texts <- string(data)
			}
		}
	}()
	return r
}

// next returns the client's next text message. It waits as long as the
// client keeps receiving messages of any kind, and fails once it has
// received nothing for Patience.
func (r *reader) next(t *testing.T, why string) string {
	t.Helper()
	last, since := r.got.Load(), time.Now()
	tick := time.NewTicker(wstest.Patience / 20)
	defer tick.Stop()
	for {
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
		case <-tick.C:
			if now := r.got.Load(); now != last {
				last, since = now, time.Now()
			} else if time.Since(since) > wstest.Patience {
				require.FailNow(t, fmt.Sprintf("%s got no message for %v: %s", r.name, wstest.Patience, why))
			}
		}
	}
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

// stall gets the writer of every client that does not read stuck in a
// write: a megabyte, more than the buffers of its connection hold. Then
// half a queue of small messages waits behind it.
func (s *server) stall(t *testing.T) {
	t.Helper()
	s.broadcast(t, frame.OpBinary, make([]byte, ballastLen))
	s.broadcast(t, frame.OpBinary, slices.Repeat([][]byte{[]byte("x")}, bigQueue/2)...)
}

func TestFiftyClientsGetAThousandBroadcastsWhileOneNeverReads(t *testing.T) {
	before := wstest.GoroutineBaseline()
	s := serveHub(t, bigQueue)

	// The slow client reads until it is in the hub, and never again. Its
	// writer gets stuck, and half its queue fills: somewhere in the 1,000
	// broadcasts below the queue overflows.
	ws, err := connect(t, s.addr, true)
	require.NoError(t, err, "gorilla/websocket could not connect: run make step8 first")
	slow := startSlow("the slow client", ws)
	s.awaitJoined(t, slow)
	s.stall(t)
	readers := dialMany(t, s.addr, 50)
	s.awaitJoined(t, readers...)

	// The slow client stays stuck until the end: the others must get all
	// 1,000 broadcasts while it is.
	want := numbers(1000)
	start := time.Now()
	s.broadcast(t, frame.OpText, texts(want)...)
	for _, r := range readers {
		for i, w := range want {
			got := r.next(t, fmt.Sprintf("it must get all 1,000 broadcasts while another client never reads, but message %d did not come: "+
				"each client needs its own writer goroutine, so that a stuck write holds up nobody else", i))
			require.Equal(t, w, got, "%s must get the broadcasts in order; message %d is wrong", r.name, i)
		}
	}
	t.Logf("50 clients got 1,000 broadcasts each in %v", time.Since(start).Round(time.Millisecond))

	// The slow client hangs up: its stuck write fails at once, instead of
	// at step 8's write deadline.
	ws.Close()
	s.shutdown(t)
	got, where := wstest.SettleGoroutines(before)
	assert.LessOrEqual(t, got, before, "after Stop and the server's Close, %d goroutines were still running (there were %d before the test). "+
		"Run, every writer and every Handle must return; these are still running:\n%s", got, before, where)
}

func TestAClientThatNeverReadsIsClosedWith1008(t *testing.T) {
	// Proves RFC 6455 R-7.4.1-1 (docs/rfc6455.md).
	s := serveHub(t, bigQueue)
	ws, err := connect(t, s.addr, true)
	require.NoError(t, err, "gorilla/websocket could not connect: run make step8 first")
	slow := startSlow("the client that stopped reading", ws)
	s.awaitJoined(t, slow)
	// A megabyte gets its writer stuck; then more messages than its queue
	// holds: the queue overflows.
	s.broadcast(t, frame.OpBinary, make([]byte, ballastLen))
	s.broadcast(t, frame.OpText, slices.Repeat([][]byte{[]byte("more")}, bigQueue+1)...)

	// At last the client reads: what its writer held and had queued, then
	// the close frame.
	var ce *websocket.CloseError
	for {
		_ = ws.SetReadDeadline(time.Now().Add(wstest.Patience))
		_, _, err := ws.ReadMessage()
		if err != nil {
			require.ErrorAs(t, err, &ce, "the client whose queue overflowed must get a close frame, after what its writer still held, "+
				"but its connection ended with %v", err)
			break
		}
	}
	assert.Equal(t, int(control.StatusPolicyViolation), ce.Code, "a client whose queue is full is closed with 1008, policy violation (RFC 6455 §7.4.1)")
	assert.Equal(t, tooSlowReason, ce.Text, "the close frame says why (RFC 6455 §5.5.1)")

	w := startReader("a client that joins after the drop", dial(t, s.addr))
	s.awaitJoined(t, w)
	s.broadcast(t, frame.OpText, []byte("still here"))
	w.expect(t, "still here", "the hub goes on without the dropped client")
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

// runningWriters counts the goroutines that are running a Client.write.
// Unlike runtime.NumGoroutine, it counts nothing that other checks left
// winding down in the same process.
func runningWriters() int {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return strings.Count(string(buf[:n]), ".(*Client).write(")
		}
		buf = make([]byte, 2*len(buf))
	}
}

func TestHandleLeavesTheHubWhenTheClientGoes(t *testing.T) {
	s := serveHub(t, 64)
	before, idle := wstest.GoroutineBaseline(), runningWriters()
	ws := dial(t, s.addr)
	r := startReader("bob", ws)
	s.awaitJoined(t, r)

	require.NoError(t, ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, "bye"), time.Now().Add(wstest.Patience)))
	r.ended(t, "the server answers a close frame (step 8)")
	ws.Close()

	deadline := time.Now().Add(wstest.Patience)
	for runningWriters() > idle && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	require.LessOrEqual(t, runningWriters(), idle, "after the client left, its writer goroutine was still running while the hub runs on: "+
		"when ReadMessage fails, Handle must Leave, so that Run takes the client out and closes its queue, and the writer's range over it ends")
	got, where := wstest.SettleGoroutines(before)
	assert.LessOrEqual(t, got, before, "after the client left, %d goroutines were running, %d before it came, while the hub runs on. "+
		"When ReadMessage fails, Handle must Leave, so that Run closes the client's queue and its writer ends. These are still running:\n%s", got, before, where)
}

func TestStopClosesEveryConnectedClientWith1001(t *testing.T) {
	// Proves RFC 6455 R-7.3-1, R-7.1.2-1 (docs/rfc6455.md).
	before := wstest.GoroutineBaseline()
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
// of its own come back. It calls sent.Done, and counts itself in count,
// once it has sent (or failed).
func chat(t *testing.T, addr string, id, each int, leaves bool, sent *sync.WaitGroup, count *atomic.Int64) (c chatter) {
	c.id, c.leaves = id, leaves
	done := sync.OnceFunc(func() {
		count.Add(1)
		sent.Done()
	})
	defer done()
	ws, err := connect(t, addr, false)
	if err != nil {
		c.err = err
		return c
	}
	defer ws.Close()
	deadline := time.Now().Add(wstest.Patience)
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
		// The others keep sending while they connect, and Stop ends every
		// connection: only a hang keeps a read waiting this long.
		_ = ws.SetReadDeadline(time.Now().Add(2 * wstest.Patience))
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
	before := wstest.GoroutineBaseline()
	s := serveHub(t, bigQueue)
	const clients, each = 200, 2
	var sent sync.WaitGroup
	sent.Add(clients)
	results := make(chan chatter, clients)
	var connected atomic.Int64
	for i := range clients {
		go func() { results <- chat(t, s.addr, i, each, i%2 == 0, &sent, &connected) }()
	}
	allSent := make(chan struct{})
	go func() {
		sent.Wait()
		close(allSent)
	}()
	require.True(t, progressing(allSent, connected.Load),
		"%d of 200 clients connected and sent %d messages, and then none for %v: the opening handshake and Handle must not wait for each other", connected.Load(), each, wstest.Patience)
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
