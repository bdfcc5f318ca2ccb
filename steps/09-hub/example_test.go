package hub

import (
	"fmt"
	"strings"

	frame "github.com/wsfromtcp/workshop/steps/04-frame-decode"
	control "github.com/wsfromtcp/workshop/steps/08-control"
)

// logConn is a Conn that keeps a log of what the hub did with it. Only the
// client's writer goroutine calls it, and Stop waits for the writers, so
// the log may be read once Stop has returned.
type logConn struct {
	name string
	log  []string
}

func (c *logConn) WriteMessage(op frame.Opcode, data []byte) error {
	c.log = append(c.log, fmt.Sprintf("%s gets %s %q", c.name, op, data))
	return nil
}

func (c *logConn) Close(code control.StatusCode, reason string) error {
	c.log = append(c.log, fmt.Sprintf("%s is closed with %s: %q", c.name, code, reason))
	return nil
}

// Two clients join. What one of them broadcasts reaches the other, what the
// server broadcasts (from nil) reaches both, and Stop closes both with 1001.
func ExampleHub() {
	h := New(16)
	go h.Run()

	alice, bob := &logConn{name: "alice"}, &logConn{name: "bob"}
	a := h.Join(alice)
	h.Join(bob)
	h.Broadcast(a, frame.OpText, []byte("hello, bob"))
	h.Broadcast(nil, frame.OpText, []byte("closing time"))
	h.Stop()

	fmt.Println(strings.Join(alice.log, "\n"))
	fmt.Println(strings.Join(bob.log, "\n"))
	// Output:
	// alice gets text "closing time"
	// alice is closed with 1001 going away: "server shutting down"
	// bob gets text "hello, bob"
	// bob gets text "closing time"
	// bob is closed with 1001 going away: "server shutting down"
}
