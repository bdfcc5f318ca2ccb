package load

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	chat "github.com/wsfromtcp/workshop/solutions/10-chat"
	"github.com/wsfromtcp/workshop/tools/wstest"
	"github.com/wsfromtcp/workshop/tools/wstest/wsclient"
)

// referenceChat starts the step 10 reference chat for one test.
func referenceChat(t *testing.T) string {
	t.Helper()
	srv, err := chat.Listen("127.0.0.1:0", nil)
	require.NoError(t, err)
	t.Cleanup(func() { _ = srv.Close() })
	return srv.Addr().String()
}

// Latency and rates are printed, never asserted: they depend on the
// machine. Counts do not. At 20 clients × 2 msg/s, a client's queue in the
// hub (chat.QueueLen, 256) holds six seconds of the room: only a hang
// drops anyone, even beside CPU hogs.
func TestASmallRunOnTheReferenceChatDeliversEveryMessageToEveryClient(t *testing.T) {
	cfg := Config{URL: referenceChat(t), Clients: 20, Rate: 2, Duration: 2 * time.Second,
		Stall: 1, PID: os.Getpid(), PerAddr: 3, Patience: wstest.Patience}
	rep, err := Run(context.Background(), cfg, nil)
	require.NoError(t, err)
	var out bytes.Buffer
	rep.Write(&out)
	t.Log("\n" + out.String())

	assert.Equal(t, 20, rep.Joined, "every client joins the reference chat")
	assert.Equal(t, 20, rep.WarmedUp, "every client hears the warm-up probe before the run")
	assert.Equal(t, 7, rep.Sources, "20 clients, 3 on each source address")
	assert.GreaterOrEqual(t, rep.Sent, int64(20), "every client says at least its first message, due before the run ends")
	assert.Equal(t, rep.Sent*20, rep.Expected, "every message is due to every client, its sender too (a say goes to everyone)")
	assert.Equal(t, rep.Expected, rep.Delivered, "the reference chat delivers every message to every client")
	assert.Zero(t, rep.Twice, "the chat delivers each message once, in order")
	assert.Empty(t, rep.Closed, "the reference chat closes no client of a calm run")
	assert.True(t, rep.Complete(), "a run with everything delivered is complete")
	assert.LessOrEqual(t, rep.P50, rep.P99, "the quantiles are in order")
	assert.LessOrEqual(t, rep.P99, rep.Max, "the quantiles are in order")
	assert.Positive(t, rep.RSSStart, "the memory of the test's own process is sampled")
	assert.GreaterOrEqual(t, rep.RSSPeak, rep.RSSStart, "the peak is the highest sample")
	require.Len(t, rep.Extras, 1, "the staller is reported apart")
	assert.Equal(t, "staller", rep.Extras[0].Kind)
	assert.NotEqual(t, "could not join", rep.Extras[0].Outcome, "the staller joins")
	assert.Contains(t, out.String(), rep.Verdict()+"\n", "the report ends with its verdict")
}

// The step 10 reference falls to a flood (docs/11-hardening.md): what is
// lost varies from run to run, so only the bookkeeping is checked.
func TestAFlooderIsReportedApartFromTheNormalClients(t *testing.T) {
	cfg := Config{URL: referenceChat(t), Clients: 10, Rate: 2, Duration: time.Second, Flood: 1, Patience: wstest.Patience}
	rep, err := Run(context.Background(), cfg, nil)
	require.NoError(t, err)
	t.Log(rep.Verdict())
	assert.Equal(t, 10, rep.Joined)
	assert.Equal(t, rep.Sent*10, rep.Expected, "the flooder's messages are not among those due")
	assert.LessOrEqual(t, rep.Delivered, rep.Expected, "only the normal clients' messages are counted as delivered")
	require.Len(t, rep.Extras, 1)
	assert.Equal(t, "flooder", rep.Extras[0].Kind)
	assert.Positive(t, rep.Extras[0].Sent, "the flooder sends")
	assert.Contains(t, rep.Verdict(), "beside 1 flooder")
}

// TestCtrlCEndsTheRunEarlyAndStillReportsWhatWasSent interrupts a
// minute's run as soon as a watcher in the room hears its first message.
func TestCtrlCEndsTheRunEarlyAndStillReportsWhatWasSent(t *testing.T) {
	addr := referenceChat(t)
	watcher, err := wsclient.Dial(t, "ws://"+addr+"/ws")
	require.NoError(t, err)
	require.NoError(t, watcher.WriteJSON(event{Type: "join", Nick: "watcher"}))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		defer cancel()
		for {
			_ = watcher.SetReadDeadline(time.Now().Add(wstest.Patience))
			var ev event
			if watcher.ReadJSON(&ev) != nil || strings.HasPrefix(ev.Text, "load ") {
				return
			}
		}
	}()

	cfg := Config{URL: addr, Clients: 5, Rate: 2, Duration: time.Minute, Patience: wstest.Patience}
	rep, err := Run(ctx, cfg, nil)
	require.NoError(t, err)
	t.Log(rep.Verdict())
	assert.True(t, rep.Interrupted, "the report says the run was interrupted")
	assert.Less(t, rep.Ran, time.Minute, "the clients stop speaking at once")
	assert.Positive(t, rep.Sent, "the watcher heard a message before it interrupted the run")
	assert.Equal(t, rep.Sent*5, rep.Expected)
	assert.Equal(t, rep.Expected, rep.Delivered, "what was sent before Ctrl-C is still waited for and counted")
	assert.Contains(t, rep.Verdict(), "(interrupted after")
}

func TestRunRefusesAServerOnAnotherMachineAndRunsOutOfBounds(t *testing.T) {
	ok := Config{URL: "127.0.0.1:1", Clients: 1, Rate: 1, Duration: time.Second}
	for _, tc := range []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"another machine", func(c *Config) { c.URL = "192.0.2.7:8080" }, "this machine"},
		{"a host name", func(c *Config) { c.URL = "ws://example.com:80/ws" }, "this machine"},
		{"no clients", func(c *Config) { c.Clients = 0 }, "CLIENTS=0"},
		{"too many clients", func(c *Config) { c.Clients = MaxClients + 1 }, "CLIENTS=2001"},
		{"no rate", func(c *Config) { c.Rate = 0 }, "RATE=0"},
		{"too fast", func(c *Config) { c.Rate = MaxRate + 1 }, "RATE=101"},
		{"too long", func(c *Config) { c.Duration = MaxDuration + time.Second }, "DURATION=10m1s"},
		{"too many flooders", func(c *Config) { c.Flood = MaxExtras + 1 }, "-flood 11"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := ok
			tc.edit(&cfg)
			_, err := Run(context.Background(), cfg, nil)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestParseAddrTakesWhatALearnerTypes(t *testing.T) {
	for in, want := range map[string]string{
		"127.0.0.1:8080":             "ws://127.0.0.1:8080/ws",
		"localhost:8080":             "ws://localhost:8080/ws",
		"[::1]:8080":                 "ws://[::1]:8080/ws",
		"http://127.0.0.1:8080/":     "ws://127.0.0.1:8080/ws",
		"https://127.0.0.1:8443":     "wss://127.0.0.1:8443/ws",
		"ws://127.0.0.1:9000/chat":   "ws://127.0.0.1:9000/chat",
		"wss://localhost:8443/ws":    "wss://localhost:8443/ws",
		"ws://127.0.0.2:8080/ws?x=1": "ws://127.0.0.2:8080/ws?x=1",
	} {
		got, err := ParseAddr(in)
		if assert.NoError(t, err, in) {
			assert.Equal(t, want, got, in)
		}
	}
	for _, in := range []string{"127.0.0.1", "ftp://127.0.0.1:21", "10.1.2.3:80", "0.0.0.0:8080"} {
		_, err := ParseAddr(in)
		assert.Error(t, err, in)
	}
}

func TestHistogramQuantilesAreWithinTwoPercent(t *testing.T) {
	var h histogram
	for i := 1; i <= 1000; i++ {
		h.add(time.Duration(i) * 10 * time.Microsecond) // 10 µs to 10 ms
	}
	assert.EqualValues(t, 1000, h.count())
	assert.InEpsilon(t, float64(5*time.Millisecond), float64(h.quantile(0.50)), 0.02)
	assert.InEpsilon(t, float64(9900*time.Microsecond), float64(h.quantile(0.99)), 0.02)
	assert.Equal(t, 10*time.Millisecond, h.quantile(1), "the top quantile is the maximum, kept exactly")
	assert.Zero(t, new(histogram).quantile(0.5), "no deliveries, no latency")
}

func TestClientsAreSpreadOverSourceAddressesOnIPv4LoopbackOnly(t *testing.T) {
	r := &run{cfg: Config{Clients: 25, PerAddr: 10}, spread: spreads("ws://127.0.0.1:8080/ws", 10)}
	assert.Equal(t, 3, r.sources())
	assert.Equal(t, "127.1.0.1", r.sourceIP(0).String())
	assert.Equal(t, "127.1.0.250", r.sourceIP(249).String())
	assert.Equal(t, "127.1.1.1", r.sourceIP(250).String())
	assert.True(t, spreads("ws://localhost:8080/ws", 10))
	assert.False(t, spreads("ws://[::1]:8080/ws", 10), "IPv6 has one loopback address")
	assert.False(t, spreads("ws://127.0.0.1:8080/ws", 0), "PerAddr 0: the system's choice")
}

func TestQuickSayReadsTheChatsSayEventsAndLeavesTheRestToEncodingJSON(t *testing.T) {
	encode := func(ev chat.Event) []byte {
		b, err := json.Marshal(ev)
		require.NoError(t, err)
		return b
	}
	text, ok := quickSay(encode(chat.Event{Type: "say", Nick: `o"hara`, Text: "load 1a2b 3 4 5"}))
	assert.True(t, ok, "the reference chat's say event is read without decoding")
	assert.Equal(t, "load 1a2b 3 4 5", text)
	for _, data := range [][]byte{
		encode(chat.Event{Type: "say", Nick: "ann", Text: `a "quoted" word`}),
		encode(chat.Event{Type: "join", Nick: "ann"}),
		[]byte(`{"text":"load 1a2b 3 4 5","type":"say"}`),
		[]byte(`{"type":"say","text":"load 1a2b 3 4 5","nick":"ann"}`),
	} {
		_, ok := quickSay(data)
		assert.False(t, ok, "%s goes to encoding/json", data)
	}
}

// tcpPair is both ends of a loopback TCP connection, closed when the test
// ends.
func tcpPair(t *testing.T) (client, server net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	client, err = net.Dial("tcp", ln.Addr().String())
	require.NoError(t, err)
	t.Cleanup(func() { client.Close() })
	server, err = ln.Accept()
	require.NoError(t, err)
	t.Cleanup(func() { server.Close() })
	return client, server
}

// seenClosed asks peerClosed until it says the server closed client, for
// Patience at most: only a hang waits that long.
func seenClosed(client net.Conn) bool {
	for deadline := time.Now().Add(wstest.Patience); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if closed, _ := peerClosed(client); closed {
			return true
		}
	}
	return false
}

func TestPeerClosedSeesTheServersFINBehindUnreadData(t *testing.T) {
	client, server := tcpPair(t)
	_ = server.SetWriteDeadline(time.Now().Add(wstest.Patience))
	_, err := server.Write([]byte("unread"))
	require.NoError(t, err)

	closed, ok := peerClosed(client)
	if !ok {
		t.Skip("the TCP state cannot be read on this system")
	}
	assert.False(t, closed, "the server has not closed yet")
	require.NoError(t, server.Close())
	assert.True(t, seenClosed(client), "the server's FIN is seen though the client has not read what came before it")
}
