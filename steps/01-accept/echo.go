package accept

import (
	"net"
)

// Echo is a Handler that writes back every byte it reads until the client
// hangs up: the smallest server that proves the accept loop works.
func Echo(conn net.Conn) {
	// TODO(step 1): copy everything read from conn back to conn, and return
	// when the client hangs up.
	panic("TODO(step 1): write Echo")
}
