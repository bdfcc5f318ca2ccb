// Package wstest holds the helpers that every step's tests share, so that a
// learner's hanging or leaking code turns into a failed check with a plain
// message instead of a stuck test run.
//
// Every helper keeps the network on loopback and puts a deadline on every
// connection: a test built from them ends within seconds whatever the code
// under test does.
package wstest

import (
	"net"
	"runtime"
	"strings"
	"testing"
	"time"
)

// Dial opens a TCP connection to addr with a deadline of Patience on every
// read and write, and closes it when the test ends.
func Dial(t testing.TB, addr string) net.Conn {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, Patience)
	if err != nil {
		t.Fatalf("could not connect to the server at %s: %v", addr, err)
	}
	_ = conn.SetDeadline(time.Now().Add(Patience))
	t.Cleanup(func() { conn.Close() })
	return conn
}

// Within runs f on its own goroutine and reports whether it returned within
// d. When it did not, the goroutine is left behind: a test that calls Within
// should fail and say what was stuck.
//
// Only a return counts: when f panics, done is never closed (a deferred
// close would run while the panic unwinds, and the test could pass in the
// moment before the panic ends the program), so the panic, not a pass, is
// what the checker sees.
func Within(d time.Duration, f func()) bool {
	done := make(chan struct{})
	go func() {
		f()
		close(done)
	}()
	select {
	case <-done:
		return true
	case <-time.After(d):
		return false
	}
}

// CleanupWithin registers f (closing a server, stopping a hub) to run when
// the test ends, waiting at most d for it to return. After a failure it
// waits only a tenth of Patience: a handler that never returns is then
// already the story, and waiting for it would spend the checker's time
// budget and turn a clear failure into a time-out.
func CleanupWithin(t testing.TB, d time.Duration, f func()) {
	t.Cleanup(func() {
		if t.Failed() {
			d = Patience / 10
		}
		Within(d, f)
	})
}

// GoroutineBaseline is the number of goroutines once the count has stopped
// falling: the checker runs a step's checks in one process, and goroutines
// that an earlier check's servers left winding down would otherwise swell
// the baseline and hide a leak of this check's own. It waits at most
// Patience.
func GoroutineBaseline() int {
	deadline := time.Now().Add(Patience)
	last, steady := runtime.NumGoroutine(), 0
	for steady < 3 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
		n := runtime.NumGoroutine()
		if n < last {
			last, steady = n, 0
			continue
		}
		steady++
	}
	return last
}

// SettleGoroutines waits up to Patience for the number of goroutines to fall
// to at most want, and returns the last count seen along with a short list
// of where the extra goroutines are parked, for the failure message.
func SettleGoroutines(want int) (got int, where string) {
	deadline := time.Now().Add(Patience)
	for {
		got = runtime.NumGoroutine()
		if got <= want || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if got <= want {
		return got, ""
	}
	return got, stacksOutsideTesting()
}

// stacksOutsideTesting lists, for each goroutine, the first function that
// is not in the runtime or the testing package: that is where it is stuck.
func stacksOutsideTesting() string {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	var out []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		lines := strings.Split(g, "\n")
		for i := 1; i+1 < len(lines); i += 2 {
			fn := lines[i]
			if strings.HasPrefix(fn, "runtime.") || strings.HasPrefix(fn, "testing.") ||
				strings.HasPrefix(fn, "internal/") || strings.Contains(fn, "/tools/wstest.") {
				continue
			}
			if fn = strings.TrimSpace(fn); fn != "" {
				out = append(out, "  "+fn+" at "+strings.TrimSpace(lines[i+1]))
			}
			break
		}
	}
	return strings.Join(out, "\n")
}
