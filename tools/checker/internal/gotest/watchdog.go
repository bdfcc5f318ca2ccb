package gotest

import (
	"os"
	"sync"
	"syscall"
	"time"
)

// quitWait is how long a process stopped with SIGQUIT has to print its
// goroutine dump and end.
const quitWait = 10 * time.Second

// watchdog stops the test process with SIGQUIT when a top-level test has
// run for longer than opt.Stall, or when opt.Deadline has passed.
type watchdog struct {
	mu      sync.Mutex
	running string    // the top-level test now running
	since   time.Time // when it started
	quit    string    // the test that was running when the process was stopped
	done    chan struct{}
}

func newWatchdog(p *os.Process, opt RunOptions) *watchdog {
	w := &watchdog{done: make(chan struct{}), since: time.Now()}
	go func() {
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-w.done:
				return
			case now := <-tick.C:
				w.mu.Lock()
				late := (opt.Stall > 0 && w.running != "" && now.Sub(w.since) > opt.Stall) ||
					(!opt.Deadline.IsZero() && now.After(opt.Deadline))
				if late {
					w.quit = w.running
				}
				w.mu.Unlock()
				if late {
					_ = p.Signal(syscall.SIGQUIT)
					// The process ends as soon as it has printed every
					// goroutine's stack; on a busy machine that can take
					// seconds, and a dump cut short names nobody. One that
					// ignores SIGQUIT is killed after quitWait.
					select {
					case <-w.done:
					case <-time.After(quitWait):
						_ = p.Kill()
					}
					return
				}
			}
		}
	}()
	return w
}

// observe follows the top-level tests as their events arrive.
func (w *watchdog) observe(e Event) {
	if e.Test == "" || e.Test != e.TopLevel() {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	switch {
	case e.Action == Run:
		w.running, w.since = e.Test, time.Now()
	case e.Terminal() && e.Test == w.running:
		w.running = ""
	}
}

func (w *watchdog) stopped() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.quit
}

func (w *watchdog) stop() {
	select {
	case <-w.done:
	default:
		close(w.done)
	}
}
