package accept

import (
	"io"
	"net"
)

// Echo is a Handler that writes back every byte it reads until the client
// hangs up: the smallest server that proves the accept loop works.
func Echo(conn net.Conn) {
	// io.Copy ends at EOF (the client closed its side) or at the first error
	// (the server closed the connection): either way there is nothing to do.
	_, _ = io.Copy(conn, conn)
}
