package load

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// A hardened chat under the acceptance load: a flooder and a
// staller, both closed, and every message delivered.
var hardened = Report{
	URL: "ws://127.0.0.1:8080/ws", Clients: 300, Rate: 1, Duration: time.Minute, Ran: time.Minute,
	Joined: 300, WarmedUp: 300, Sources: 30, Sent: 18000, Delivered: 5400000, Expected: 5400000,
	P50: 1234 * time.Microsecond, P99: 4200 * time.Microsecond, Max: 31 * time.Millisecond,
	Closed: map[string]int{}, FloodHeard: 120,
	Extras: []Extra{
		{Kind: "flooder", N: 1, Sent: 5231, Outcome: `closed by the server: 1008 "too many messages" after 0.4 s`},
		{Kind: "staller", N: 1, Outcome: `closed by the server: 1008 "too slow"`},
	},
	PID: 4242, RSSStart: 9 << 20, RSSPeak: 23 << 20,
}

func TestReportIsWrittenAsTheChapterShowsIt(t *testing.T) {
	var out bytes.Buffer
	hardened.Write(&out)
	assert.Equal(t, `load report: ws://127.0.0.1:8080/ws
  clients joined         300 of 300 (300 heard the warm-up), from 30 source addresses
  messages sent          18000 in 60 s
  delivered/expected     5400000/5400000 (100.00 %), each message to every client, its sender too
  delivery latency       p50 1.2 ms, p99 4.2 ms, max 31 ms
  closed by the server   none
  flooder 1              sent 5231 messages of 4 KiB; closed by the server: 1008 "too many messages" after 0.4 s
  staller 1              closed by the server: 1008 "too slow"
  flood heard            120 flood messages reached the normal clients
  server memory          peak RSS 23 MiB (9.0 MiB at the start; PID 4242, sampled every second)
300 clients × 1 msg/s for 60 s: 100.00 % delivered, p99 4.2 ms, peak RSS 23 MiB, beside 1 flooder and 1 staller
`, out.String())
	assert.True(t, hardened.Complete(), "the flooder and the staller do not count against the normal clients")
}

func TestVerdictSaysWhatWasLost(t *testing.T) {
	for _, tc := range []struct {
		name     string
		edit     func(*Report)
		verdict  string
		complete bool
	}{
		{"calm, no PID", func(r *Report) { r.Extras, r.PID = nil, 0 },
			"300 clients × 1 msg/s for 60 s: 100.00 % delivered, p99 4.2 ms", true},
		{"one message short is not 100 %", func(r *Report) { r.Delivered-- },
			"300 clients × 1 msg/s for 60 s: 99.99 % delivered, p99 4.2 ms, peak RSS 23 MiB, beside 1 flooder and 1 staller", false},
		{"half a second, fractional rate", func(r *Report) { r.Duration, r.Rate, r.Extras = 2500*time.Millisecond, 0.5, nil },
			"300 clients × 0.5 msg/s for 2.5 s: 100.00 % delivered, p99 4.2 ms, peak RSS 23 MiB", true},
		{"interrupted", func(r *Report) { r.Interrupted, r.Ran, r.Extras = true, 12*time.Second, r.Extras[:1] },
			"300 clients × 1 msg/s for 60 s: 100.00 % delivered, p99 4.2 ms, peak RSS 23 MiB, beside 1 flooder (interrupted after 12 s)", true},
		{"sub-millisecond, two stallers", func(r *Report) {
			r.P99, r.Extras = 850*time.Microsecond, []Extra{{Kind: "staller", N: 1}, {Kind: "staller", N: 2}}
		}, "300 clients × 1 msg/s for 60 s: 100.00 % delivered, p99 850 µs, peak RSS 23 MiB, beside 2 stallers", true},
		{"clients closed", func(r *Report) { r.Closed = map[string]int{"1008": 2, "1006 (no close frame)": 1} },
			"300 clients × 1 msg/s for 60 s: 100.00 % delivered, p99 4.2 ms, peak RSS 23 MiB, 3 closed by the server, beside 1 flooder and 1 staller", false},
		{"one could not join", func(r *Report) { r.Joined, r.JoinFailures = 299, 1 },
			"300 clients × 1 msg/s for 60 s: 100.00 % delivered, p99 4.2 ms, peak RSS 23 MiB, 1 could not join, beside 1 flooder and 1 staller", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := hardened
			tc.edit(&r)
			assert.Equal(t, tc.verdict, r.Verdict())
			assert.Equal(t, tc.complete, r.Complete())
		})
	}
}

func TestClosesAreCountedByCode(t *testing.T) {
	assert.Equal(t, "none", closes(nil))
	assert.Equal(t, `3: 1006 (no close frame) ×1, 1008 "too slow" ×2`, closes(map[string]int{`1008 "too slow"`: 2, "1006 (no close frame)": 1}))
}
