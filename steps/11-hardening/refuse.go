package hardening

import (
	"io"
	"net"
	"time"
)

// reasons are the reason phrases of the refusals (RFC 9110 §15).
var reasons = map[int]string{
	400: "Bad Request",
	403: "Forbidden",
	414: "URI Too Long",
	431: "Request Header Fields Too Large",
	503: "Service Unavailable",
}

// lingerTime bounds how long refuse reads what the client still sends.
const lingerTime = time.Second

// refuse answers a request the server will not serve, and closes the
// connection the way RFC 9112 §9.6 asks: send the response, shut down the
// sending side, then read and drop what the client still sends, for a
// bounded time. Closing with unread bytes would make the kernel send a
// reset, which may destroy the response before the client reads it.
func refuse(conn net.Conn, rest io.Reader, status int, text string) {
	// TODO(step 11): a deadline of lingerTime; the response with status,
	// its reason phrase from reasons, Content-Type text/plain, Content-Length
	// and Connection: close, then text and a newline as the body. Then
	// CloseWrite (give up without it), and read and drop up to 1 MiB from rest.
	panic("TODO(step 11): write refuse")
}
