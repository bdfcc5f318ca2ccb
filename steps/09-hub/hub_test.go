package hub

import (
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	frame "github.com/wsfromtcp/workshop/steps/04-frame-decode"
	control "github.com/wsfromtcp/workshop/steps/08-control"
	"github.com/wsfromtcp/workshop/tools/wstest"
	"github.com/wsfromtcp/workshop/tools/wstest/assert"
	"github.com/wsfromtcp/workshop/tools/wstest/require"
)

// fakeConn is a Conn that records what the hub does with it, for the test
// goroutine to read from channels: the hub calls it from its own
// goroutines, and a test must not call assert or require on those.
type fakeConn struct {
	name    string
	written chan string    // the data of every message written, in order
	closed  chan closeCall // every call to Close
	stuck   chan struct{}  // when not nil, WriteMessage waits until it is closed
	held    chan struct{}  // when not nil, Close waits until it is closed, after recording the call
	broken  error          // when not nil, WriteMessage fails with it

	unstick, unhold sync.Once
}

type closeCall struct {
	code   control.StatusCode
	reason string
}

func newFake(name string) *fakeConn {
	return &fakeConn{name: name, written: make(chan string, 4096), closed: make(chan closeCall, 64)}
}

// newStuckFake is a client that never reads: its writes hang, as a write
// to a TCP connection does once the client's buffers are full, until the
// test calls release (at the latest when it ends, before the hub is stopped).
func newStuckFake(t *testing.T, name string) *fakeConn {
	f := newFake(name)
	f.stuck = make(chan struct{})
	t.Cleanup(f.release)
	return f
}

func (f *fakeConn) release() { f.unstick.Do(func() { close(f.stuck) }) }

// newHeldFake is a client whose Close takes a while, as step 8's Close does
// while it waits for the client's answer to its close frame: Close records
// the call, then waits until the test calls letGo (at the latest when the
// test ends).
func newHeldFake(t *testing.T, name string) *fakeConn {
	f := newFake(name)
	f.held = make(chan struct{})
	t.Cleanup(f.letGo)
	return f
}

func (f *fakeConn) letGo() { f.unhold.Do(func() { close(f.held) }) }

func (f *fakeConn) WriteMessage(op frame.Opcode, data []byte) error {
	if f.stuck != nil {
		<-f.stuck
	}
	if f.broken != nil {
		return f.broken
	}
	f.written <- string(data)
	return nil
}

func (f *fakeConn) Close(code control.StatusCode, reason string) error {
	select {
	case f.closed <- closeCall{code, reason}:
	default: // more Close calls than any test expects: the count is enough
	}
	if f.held != nil {
		<-f.held
	}
	return nil
}

// next returns the next message written to f, waiting at most Patience.
// It fails at once when f was closed before that message came.
func (f *fakeConn) next(t *testing.T, why string) string {
	t.Helper()
	select {
	case m := <-f.written:
		return m
	case c := <-f.closed:
		// The writer writes before it closes: whatever it wrote is in
		// f.written by now.
		select {
		case m := <-f.written:
			f.closed <- c // for nextClose or drained, later
			return m
		default:
		}
		require.FailNow(t, fmt.Sprintf("%s was closed with %s %q while it waited for a message: %s", f.name, c.code, c.reason, why))
		return ""
	case <-time.After(wstest.Patience):
		require.FailNow(t, fmt.Sprintf("%s got no message within %v: %s", f.name, wstest.Patience, why))
		return ""
	}
}

// nextClose returns the next call to f's Close, waiting at most Patience.
func (f *fakeConn) nextClose(t *testing.T, why string) closeCall {
	t.Helper()
	select {
	case c := <-f.closed:
		return c
	case <-time.After(wstest.Patience):
		require.FailNow(t, fmt.Sprintf("%s was not closed within %v: %s", f.name, wstest.Patience, why))
		return closeCall{}
	}
}

// drained returns, without waiting, the messages written to f and not read
// yet, and the number of Close calls not read yet.
func (f *fakeConn) drained() (written []string, closes int) {
	for {
		select {
		case m := <-f.written:
			written = append(written, m)
		case <-f.closed:
			closes++
		default:
			return written, closes
		}
	}
}

// progressing waits until done is closed, for as long as count keeps
// changing, and reports whether done was closed. It gives up only when
// count has stood still for Patience: a slow machine makes the wait longer,
// never the verdict different.
func progressing(done <-chan struct{}, count func() int64) bool {
	last, since := count(), time.Now()
	tick := time.NewTicker(wstest.Patience / 20)
	defer tick.Stop()
	for {
		select {
		case <-done:
			return true
		case <-tick.C:
			if now := count(); now != last {
				last, since = now, time.Now()
			} else if time.Since(since) > wstest.Patience {
				return false
			}
		}
	}
}

// start runs a hub whose clients have queues of queueLen messages, and
// stops it when the test ends, giving up after Patience.
func start(t *testing.T, queueLen int) *Hub {
	t.Helper()
	h := New(queueLen)
	require.NotNil(t, h, "New must return the hub")
	go h.Run()
	wstest.CleanupWithin(t, wstest.Patience, h.Stop)
	return h
}

// join calls Join, failing the test if it blocks.
func join(t *testing.T, h *Hub, conn Conn) *Client {
	t.Helper()
	var c *Client
	require.True(t, wstest.Within(wstest.Patience, func() { c = h.Join(conn) }),
		"Join did not return within %v: it hands the client to Run over a channel, so Run must be back in its select loop, never stuck elsewhere (sending to a full queue, say)", wstest.Patience)
	require.NotNil(t, c, "Join on a running hub must return the new client")
	return c
}

// broadcast calls Broadcast for each text in turn, failing the test if a
// call does not return: each one must return within Patience of the one
// before, however long they take together.
func broadcast(t *testing.T, h *Hub, from *Client, texts ...string) {
	t.Helper()
	var returned atomic.Int64
	done := make(chan struct{})
	go func() {
		for _, s := range texts {
			h.Broadcast(from, frame.OpText, []byte(s))
			returned.Add(1)
		}
		close(done) // not deferred: a panic must not look like a return (wstest.Within)
	}()
	if !progressing(done, returned.Load) {
		require.FailNow(t, fmt.Sprintf("Broadcast call %d of %d did not return within %v: Run must receive every broadcast "+
			"and never wait for a client (put a message in a queue with a select that has a default case)", returned.Load()+1, len(texts), wstest.Patience))
	}
}

// leave calls Leave, failing the test if it blocks.
func leave(t *testing.T, h *Hub, c *Client) {
	t.Helper()
	require.True(t, wstest.Within(wstest.Patience, func() { h.Leave(c) }),
		"Leave did not return within %v: Run must receive from the leave channel in its select loop, and Leave must not wait once the hub has stopped", wstest.Patience)
}

// stop calls Stop, failing the test if it does not return.
func stop(t *testing.T, h *Hub) {
	t.Helper()
	require.True(t, wstest.Within(wstest.Patience, h.Stop),
		"Stop did not return within %v: it must make Run close every client, wait for their writers and return, and then return itself", wstest.Patience)
}

// numbers is "0", "1", … up to n-1.
func numbers(n int) []string {
	s := make([]string, n)
	for i := range s {
		s[i] = strconv.Itoa(i)
	}
	return s
}

func TestRunLeavesItsLoopOnStop(t *testing.T) {
	h := New(8)
	require.NotNil(t, h, "New must return the hub")
	go h.Run()
	// No cleanup stops the hub again: calling Stop twice is the next
	// check's business.
	require.True(t, wstest.Within(wstest.Patience, h.Stop),
		"Stop did not return within %v on a hub without clients: on stop, Run must leave its for loop and return, and Stop must wait for that. "+
			"A break inside a select leaves only the select, and the loop goes round again: return instead (docs/09-hub.md, \"The break trap\")", wstest.Patience)
}

func TestStopIsSafeToCallMoreThanOnce(t *testing.T) {
	h := start(t, 8)
	join(t, h, newFake("bob"))
	require.True(t, wstest.Within(wstest.Patience, func() {
		var wg sync.WaitGroup
		for range 5 {
			wg.Go(h.Stop)
		}
		wg.Wait()
	}), "five Stop calls at once did not all return within %v: close the stop channel once (sync.Once), and let every Stop wait for Run to finish", wstest.Patience)
	assert.True(t, wstest.Within(wstest.Patience, h.Stop),
		"Stop on a hub that has stopped already did not return: a second shutdown (a signal handler and a defer) must be harmless")
}

func TestBroadcastReachesEveryOtherClientInOrder(t *testing.T) {
	h := start(t, 64)
	alice := newFake("alice")
	// Bob's and carol's writers are busy with their first message until
	// every broadcast has been made: the other messages wait in their
	// queues, which is what the queues are for.
	bob, carol := newStuckFake(t, "bob"), newStuckFake(t, "carol")
	a := join(t, h, alice)
	join(t, h, bob)
	join(t, h, carol)

	texts := []string{"one", "two", "three", "four", "five"}
	broadcast(t, h, a, texts...)
	broadcast(t, h, nil, "from the server")
	bob.release()
	carol.release()

	for _, f := range []*fakeConn{bob, carol} {
		for _, want := range append(texts, "from the server") {
			got := f.next(t, "every client but the sender gets every broadcast, even while its writer is busy with an earlier one: "+
				"its queue holds up to queueLen messages (a buffered channel, make(chan message, queueLen)), 64 here")
			require.Equal(t, want, got, "%s must get alice's messages, then the server's, in the order they were broadcast: "+
				"Run handles one broadcast at a time, and each client's queue is first in, first out", f.name)
		}
	}
	assert.Equal(t, "from the server", alice.next(t, "a broadcast from nil (the server) goes to every client"),
		"alice sent five messages and must not get them back: Broadcast skips its from client. Her first message is the server's")
}

func TestAClientThatNeverReadsDoesNotDelayTheOthers(t *testing.T) {
	// The queues are longer than the 1,000 broadcasts, so that no client
	// that reads can fall behind, however the goroutines are scheduled. The
	// client that never reads has half a queue before the others join: its
	// queue overflows halfway through the 1,000. It stays stuck until the
	// test ends: the others must get everything while it is.
	const queueLen = 1024
	h := start(t, queueLen)
	stuck := newStuckFake(t, "the client that never reads")
	join(t, h, stuck)
	broadcast(t, h, nil, numbers(queueLen/2)...)
	others := make([]*fakeConn, 10)
	for i := range others {
		others[i] = newFake(fmt.Sprintf("client %d", i))
		join(t, h, others[i])
	}

	want := numbers(1000)
	broadcast(t, h, nil, want...)

	for _, f := range others {
		for i, w := range want {
			got := f.next(t, fmt.Sprintf("message %d of the 1,000 broadcasts did not come while another client's write was stuck: "+
				"each client needs its own writer goroutine, so that a stuck write holds up nobody else", i))
			require.Equal(t, w, got, "%s must get the broadcasts in order; message %d is wrong", f.name, i)
		}
	}
}

func TestAClientWhoseQueueIsFullIsClosedWith1008(t *testing.T) {
	h := start(t, 4)
	stuck := newStuckFake(t, "the client that never reads")
	join(t, h, stuck)
	// The stuck writer holds at most one message and the queue four more:
	// the sixth broadcast at the latest finds the queue full.
	broadcast(t, h, nil, numbers(6)...)
	ok := newFake("a client that reads")
	join(t, h, ok)
	broadcast(t, h, nil, "after the drop")
	stuck.release() // its write returns, as when a write deadline passes

	c := stuck.nextClose(t, "a client whose queue is full must be dropped and closed. Its queue holds queueLen messages, "+
		"New's argument (4 here): the queue is what bounds the memory a client that never reads can cost")
	assert.Equal(t, control.StatusPolicyViolation, c.code, "a client whose queue is full is closed with 1008, policy violation (RFC 6455 §7.4.1): "+
		"the hub drops it rather than wait for it")
	assert.Equal(t, tooSlowReason, c.reason, "the close frame says why, for whoever reads the logs (RFC 6455 §5.5.1)")
	stop(t, h)

	written, closes := stuck.drained()
	assert.Zero(t, closes, "the dropped client must be closed exactly once; Stop closed it again, so Run had not removed it")
	assert.LessOrEqual(t, len(written), 5, "the dropped client can have been sent only what its writer held and its queue of 4 had room for; it got %q", written)
	assert.NotContains(t, written, "after the drop", "a dropped client is out of the hub: nothing broadcast after the drop may reach it")
	assert.Equal(t, "after the drop", ok.next(t, "the other clients go on as before"), "a client that joined after the drop must get the next broadcast")
}

func TestLeaveRemovesAClientExactlyOnce(t *testing.T) {
	t.Run("leaving twice", func(t *testing.T) {
		t.Parallel()
		h := start(t, 8)
		f := newFake("bob")
		c := join(t, h, f)
		leave(t, h, c)
		leave(t, h, c)
		broadcast(t, h, nil, "after leaving")
		got := f.nextClose(t, "Leave removes the client, and its writer closes the connection")
		assert.Equal(t, control.StatusNormalClosure, got.code, "a client that leaves is closed with 1000, normal closure (RFC 6455 §7.4.1)")
		stop(t, h)
		written, closes := f.drained()
		assert.Zero(t, closes, "a client that leaves twice must be closed once: Run removes it only if it is still in the set")
		assert.NotContains(t, written, "after leaving", "nothing broadcast after Leave returns may reach the client")
	})
	t.Run("leaving from ten goroutines at once", func(t *testing.T) {
		t.Parallel()
		h := start(t, 8)
		f := newFake("bob")
		c := join(t, h, f)
		require.True(t, wstest.Within(wstest.Patience, func() {
			var wg sync.WaitGroup
			for range 10 {
				wg.Go(func() { h.Leave(c) })
			}
			wg.Wait()
		}), "ten Leave calls at once did not all return within %v", wstest.Patience)
		f.nextClose(t, "Leave removes the client, and its writer closes the connection")
		stop(t, h)
		_, closes := f.drained()
		assert.Zero(t, closes, "ten goroutines leaving at once must close the client once: only Run touches the set of clients, one request at a time")
	})
	t.Run("leaving after being dropped", func(t *testing.T) {
		t.Parallel()
		h := start(t, 1)
		f := newStuckFake(t, "the client that never reads")
		c := join(t, h, f)
		broadcast(t, h, nil, numbers(4)...) // one held by the writer, one queued: the third is dropped
		leave(t, h, c)
		f.release()
		got := f.nextClose(t, "a client whose queue is full must be dropped and closed")
		assert.Equal(t, control.StatusPolicyViolation, got.code, "the client was dropped before it left: its close says so")
		stop(t, h)
		_, closes := f.drained()
		assert.Zero(t, closes, "a client that leaves after being dropped must be closed once: it was no longer in the hub")
	})
	t.Run("leaving after Stop", func(t *testing.T) {
		t.Parallel()
		h := start(t, 8)
		f := newFake("bob")
		c := join(t, h, f)
		stop(t, h)
		leave(t, h, c)
		f.nextClose(t, "Stop closes every client")
		_, closes := f.drained()
		assert.Zero(t, closes, "Leave after Stop must do nothing: the client was closed already")
	})
}

func TestAClientWhoseWriteFailsIsRemoved(t *testing.T) {
	h := start(t, 8)
	broken := newFake("a client whose connection broke")
	broken.broken = errors.New("write: broken pipe")
	join(t, h, broken)
	ok := newFake("a client that reads")
	join(t, h, ok)

	broadcast(t, h, nil, "one")
	broken.nextClose(t, "when a write fails, the connection is gone: the writer should tell the hub, which removes the client and closes it")
	broadcast(t, h, nil, "two")
	assert.Equal(t, "one", ok.next(t, "a failed write elsewhere changes nothing for the others"))
	assert.Equal(t, "two", ok.next(t, "a failed write elsewhere changes nothing for the others"))
	stop(t, h)
	_, closes := broken.drained()
	assert.Zero(t, closes, "the client whose write failed must be closed once; Stop closed it again, so it was never removed from the hub")
}

func TestStopClosesEveryClientWith1001AndReturns(t *testing.T) {
	h := start(t, 8)
	fakes := make([]*fakeConn, 5)
	for i := range fakes {
		fakes[i] = newFake(fmt.Sprintf("client %d", i))
		join(t, h, fakes[i])
	}
	// One more client, whose Close takes a while, as step 8's Close does
	// while it waits for the client's answer to its close frame.
	held := newHeldFake(t, "client 5, whose Close takes a while")
	join(t, h, held)
	broadcast(t, h, nil, "last words")

	stopped := make(chan struct{})
	go func() {
		h.Stop()
		close(stopped)
	}()
	closes := map[*fakeConn]closeCall{held: held.nextClose(t, "Stop must close every client")}
	// Its writer is inside Close now, and stays there until letGo: Stop
	// must not return before that.
	select {
	case <-stopped:
		assert.Fail(t, "Stop returned while a client's writer was still closing its connection: Run must wait until every writer "+
			"has returned (a sync.WaitGroup) before it returns, and Stop must wait until Run has returned (the done channel)")
	case <-time.After(wstest.Patience / 10):
	}
	held.letGo()
	stop(t, h)

	for _, f := range fakes {
		select {
		case c := <-f.closed:
			closes[f] = c
		default:
			assert.Fail(t, fmt.Sprintf("%s was not closed when Stop returned: Run must close every client and wait for the writers (a sync.WaitGroup) before it returns", f.name))
		}
	}
	for _, f := range append(fakes, held) {
		if c, ok := closes[f]; ok {
			assert.Equal(t, control.StatusGoingAway, c.code, "%s: on shutdown every client is closed with 1001, going away (RFC 6455 §7.4.1): \"a server going down\"", f.name)
			assert.Equal(t, goingAwayReason, c.reason, "%s: the close frame says why", f.name)
		}
		written, more := f.drained()
		assert.Zero(t, more, "%s must be closed exactly once", f.name)
		assert.Equal(t, []string{"last words"}, written, "%s must get what was broadcast before Stop, before the close: Stop lets each writer send its queue, then close", f.name)
	}
}

func TestStopLeavesNoGoroutinesBehind(t *testing.T) {
	before := wstest.GoroutineBaseline()
	h := New(16)
	go h.Run()
	wstest.CleanupWithin(t, wstest.Patience, h.Stop)
	fakes := make([]*fakeConn, 100)
	clients := make([]*Client, len(fakes))
	for i := range fakes {
		fakes[i] = newFake(fmt.Sprintf("client %d", i))
		clients[i] = join(t, h, fakes[i])
	}
	broadcast(t, h, clients[0], numbers(10)...)
	for _, c := range clients[:50] {
		leave(t, h, c)
	}
	stop(t, h)

	got, where := wstest.SettleGoroutines(before)
	assert.LessOrEqual(t, got, before, "after Stop, %d goroutines were still running (there were %d before New). "+
		"Run and every client's writer must return: Run closes each queue, each writer's range over it then ends. These are still running:\n%s", got, before, where)
}

func TestJoinLeaveAndBroadcastReturnAfterStop(t *testing.T) {
	h := start(t, 8)
	c := join(t, h, newFake("bob"))
	stop(t, h)

	late := newFake("a client that comes too late")
	var got *Client
	require.True(t, wstest.Within(wstest.Patience, func() { got = h.Join(late) }),
		"Join after Stop did not return: nobody receives from the join channel any more, so Join must also wait on the stop channel in a select")
	assert.Nil(t, got, "Join after Stop must return nil: there is no hub to be in")
	cc := late.nextClose(t, "a client that joins a stopped hub must be closed at once, or nobody will")
	assert.Equal(t, control.StatusGoingAway, cc.code, "a client that joins a stopped hub is closed with 1001, going away, like the others")

	assert.True(t, wstest.Within(wstest.Patience, func() { h.Broadcast(nil, frame.OpText, []byte("anyone?")) }),
		"Broadcast after Stop did not return: it must wait on the stop channel too")
	assert.True(t, wstest.Within(wstest.Patience, func() { h.Leave(c) }),
		"Leave after Stop did not return: it must wait on the stop channel too")
}
