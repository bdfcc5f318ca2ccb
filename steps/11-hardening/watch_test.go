package hardening

import (
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	chat "github.com/wsfromtcp/workshop/steps/10-chat"
	"github.com/wsfromtcp/workshop/tools/wstest"
	"github.com/wsfromtcp/workshop/tools/wstest/assert"
	"github.com/wsfromtcp/workshop/tools/wstest/require"
	"github.com/wsfromtcp/workshop/tools/wstest/wsclient"
)

func TestAClientThatNeverJoinsIsClosedWith1008(t *testing.T) {
	srv, ann := startWithAJoinDeadline(t)
	addr := srv.Addr().String()

	resp, _, idle := upgradeAt(t, addr, upgradeHead(addr, ""))
	require.Equal(t, 101, resp.StatusCode, "the idle client's handshake is valid")
	code, reason := idle.closeFrame(t, "an upgraded client that never joins")
	assert.Equal(t, 1008, code, "attack: hundreds of upgrades that never say a word hold a descriptor and a goroutine each, "+
		"forever. Fix: close a client that has not joined within Options.JoinTimeout with 1008, policy violation (RFC 6455 §7.4.1, §10.4)")
	assert.Equal(t, joinReason, reason, "the close frame's reason should be joinReason, so the client can tell why")

	// The idle client was upgraded after ann, and its time is up: ann's
	// would be too, had joining not stopped her clock.
	ann.send(chat.Event{Type: "say", Text: "still here"})
	ann.until(chat.Event{Type: "say", Nick: "ann", Text: "still here"}, "ann's own message: a client that joined in time stays")
}

// startWithAJoinDeadline starts a server whose join deadline is as short
// as this machine allows, and ann, who joins at once. The deadline starts
// at 100 ms and doubles while ann's welcome takes more than half of it:
// an idle machine is quick, a loaded one still gets there, and a welcome
// written near the deadline, where the watcher could close her in the same
// instant, never counts.
func startWithAJoinDeadline(t *testing.T) (*Server, *client) {
	t.Helper()
	for d := 100 * time.Millisecond; ; d *= 2 {
		opts := quiet()
		opts.JoinTimeout = d
		srv := start(t, opts)
		began := time.Now()
		ws, err := wsclient.Dial(t, "ws://"+srv.Addr().String()+"/ws")
		require.NoError(t, err, "a client without Origin (not a browser) must be able to open the WebSocket (RFC 6455 §10.2)")
		ann := &client{t: t, ws: ws}
		ann.send(chat.Event{Type: "join", Nick: "ann"})
		_ = ws.SetReadDeadline(time.Now().Add(wstest.Patience))
		var welcome chat.Event
		err = ws.ReadJSON(&welcome)
		if time.Since(began) < d/2 || d >= wstest.Patience {
			require.NoError(t, err, "ann joined at once: she should get her welcome")
			require.Equal(t, "welcome", welcome.Type, "the first event a newcomer gets is its welcome")
			return srv, ann
		}
		ws.Close() // too slow for this deadline: try a longer one
	}
}

func TestAFlooderIsClosedWith1008AndTheOthersStay(t *testing.T) {
	opts := quiet()
	opts.Rate, opts.Burst = 5, 10
	srv := start(t, opts)
	readers := make([]*client, 5)
	for i := range readers {
		readers[i] = join(t, srv, "reader")
	}
	flooder := join(t, srv, "flooder")

	// The flooder sends 3 KB messages as fast as it can, until the server
	// stops it; its own copies are read on the side.
	closed := make(chan [2]any, 1)
	go func() {
		code, reason, err := closeOf(flooder.ws)
		closed <- [2]any{code, reason + errText(err)}
	}()
	text := strings.Repeat("x", 3000)
	sent := 0
	for ; sent < 2000; sent++ {
		_ = flooder.ws.SetWriteDeadline(time.Now().Add(wstest.Patience))
		if flooder.ws.WriteJSON(chat.Event{Type: "say", Text: text}) != nil {
			break
		}
	}
	got := <-closed
	assert.Equal(t, 1008, got[0], "attack: one client sends 3 KB messages in a loop (%d sent) and every reader's queue fills. "+
		"Fix: a token bucket per sender (Options.Rate, Options.Burst); close the flooder with 1008, policy violation (RFC 6455 §7.4.1, §10.4)", sent)
	assert.Equal(t, floodReason, got[1], "the flooder's close frame should give floodReason")

	readers[0].send(chat.Event{Type: "say", Text: "after the flood"})
	for i, r := range readers {
		r.until(chat.Event{Type: "say", Nick: "reader", Text: "after the flood"},
			"the message after the flood: reader "+string(rune('1'+i))+" must never be dropped for someone else's flood")
	}
}

// errText is err's text in brackets, or "" for nil.
func errText(err error) string {
	if err == nil {
		return ""
	}
	return " (" + err.Error() + ")"
}

func TestASilentPeerIsPingedAndClosedWith1008(t *testing.T) {
	// Proves RFC 6455 R-5.5.2-3, R-7.1.1-2 (docs/rfc6455.md).
	opts := quiet()
	opts.PingInterval, opts.PongWait = 100*time.Millisecond, 200*time.Millisecond
	srv := start(t, opts)
	addr := srv.Addr().String()

	resp, _, peer := upgradeAt(t, addr, upgradeHead(addr, ""))
	require.Equal(t, 101, resp.StatusCode)
	require.NoError(t, peer.sendText([]byte(`{"type":"join","nick":"ghost"}`)))
	// The peer reads everything and answers nothing: a client whose
	// machine vanished, or that stopped reading, looks like this.
	pings := 0
	_ = peer.conn.SetReadDeadline(time.Now().Add(2 * wstest.Patience))
	for {
		op, payload, err := peer.readFrame()
		require.NoError(t, err, "attack: a peer that vanished without a FIN is kept until TCP gives up, minutes later. Fix: ping every "+
			"Options.PingInterval (RFC 6455 §5.5.2) and close with 1008 a peer from which nothing came within Options.PongWait; "+
			"the connection ended without a close frame (%d pings seen)", pings)
		if op == 0x9 {
			pings++
			continue
		}
		if op != 0x8 {
			continue
		}
		assert.Greater(t, pings, 0, "the server must ping before it gives up on a silent peer (RFC 6455 §5.5.2)")
		require.GreaterOrEqual(t, len(payload), 2)
		assert.Equal(t, 1008, int(payload[0])<<8|int(payload[1]), "a peer that did not answer the ping is closed with 1008, policy violation (RFC 6455 §7.4.1)")
		assert.True(t, strings.HasPrefix(string(payload[2:]), pongReason), "the close frame's reason should start with pongReason, got %q", payload[2:])
		return
	}
}

func TestAPeerThatAnswersPingsIsKept(t *testing.T) {
	// Proves RFC 6455 R-5.5.2-3 (docs/rfc6455.md).
	opts := quiet()
	opts.PingInterval, opts.PongWait = 50*time.Millisecond, wstest.Patience
	srv := start(t, opts)
	ann := join(t, srv, "ann")
	pinged := make(chan struct{}, 100)
	ann.ws.SetPingHandler(func(data string) error {
		pinged <- struct{}{}
		// What gorilla does by default: answer with the same data (RFC 6455 §5.5.3).
		return ann.ws.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(wstest.Patience))
	})
	// ann reads on the side: pings are seen and answered inside ReadMessage.
	heard := make(chan string, 100)
	go func() {
		_ = ann.ws.SetReadDeadline(time.Now().Add(3 * wstest.Patience))
		for {
			_, data, err := ann.ws.ReadMessage()
			if err != nil {
				heard <- "the end: " + err.Error()
				return
			}
			heard <- string(data)
		}
	}()

	for i := range 5 {
		select {
		case <-pinged:
		case <-time.After(wstest.Patience):
			require.FailNow(t, "the server should ping every Options.PingInterval (RFC 6455 §5.5.2)", "ping %d of 5 did not come", i+1)
		}
	}
	bob := join(t, srv, "bob")
	bob.send(chat.Event{Type: "say", Text: "ann, are you there?"})
	want := `{"type":"say","nick":"bob","text":"ann, are you there?"}`
	for got := range heard {
		require.False(t, strings.HasPrefix(got, "the end: "), "ann answered every ping with a pong, yet the server dropped her (%s): "+
			"a peer that answers within Options.PongWait is alive and must be kept (RFC 6455 §5.5.2, §5.5.3)", got)
		if got == want {
			return
		}
	}
}
