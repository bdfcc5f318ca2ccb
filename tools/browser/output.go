package browser

import (
	"strings"
	"sync"
)

// tailBuffer keeps the last max bytes written to it: a browser's output, for
// the message of a failed test.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if over := len(b.buf) - b.max; over > 0 {
		b.buf = append(b.buf[:0], b.buf[over:]...)
	}
	return len(p), nil
}

// withoutDBus returns the text without the lines about D-Bus, which
// Chromium writes by the dozen on a machine with no system bus (a CI machine,
// a container) and which say nothing about a failure.
func (b *tailBuffer) withoutDBus() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var kept []string
	for line := range strings.Lines(string(b.buf)) {
		if !strings.Contains(line, "dbus") {
			kept = append(kept, line)
		}
	}
	if len(kept) == 0 {
		return "(nothing)"
	}
	return strings.Join(kept, "")
}
