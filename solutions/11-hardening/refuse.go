package hardening

import (
	"fmt"
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
	body := text + "\n"
	_ = conn.SetDeadline(time.Now().Add(lingerTime))
	_, err := fmt.Fprintf(conn, "HTTP/1.1 %d %s\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s",
		status, reasons[status], len(body), body)
	if err != nil {
		return
	}
	if cw, ok := conn.(interface{ CloseWrite() error }); !ok || cw.CloseWrite() != nil {
		return
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(rest, 1<<20))
}
