package handshake

import (
	"fmt"
	"io"
)

// WriteAccept writes the server's opening handshake (RFC 6455 §4.2.2 item
// 5): 101 Switching Protocols with Upgrade, Connection and
// Sec-WebSocket-Accept. No Sec-WebSocket-Protocol or
// Sec-WebSocket-Extensions is sent: this server selects no subprotocol and
// no extension, and a server may only echo one the client offered.
func WriteAccept(w io.Writer, key string) error {
	// RFC 6455 §4.2.2, §9 (R-4.2.2-10, R-4.2.2-7, R-4.2.2-9, R-9-2): the 101, with no subprotocol and no extension.
	_, err := io.WriteString(w, "HTTP/1.1 101 Switching Protocols\r\n"+
		"Upgrade: websocket\r\n"+
		"Connection: Upgrade\r\n"+
		"Sec-WebSocket-Accept: "+AcceptKey(key)+"\r\n"+
		"\r\n")
	return err
}

// WriteReject answers a request that is not a valid opening handshake with
// the status from Status, a one-line plain-text reason with a
// Content-Length of exactly its size, and Connection: close, since the
// server closes the connection next. Every line of the head ends in CRLF. A 426 also carries
// Sec-WebSocket-Version: 13, the versions the server speaks (RFC 6455 §4.4).
func WriteReject(w io.Writer, err error) error {
	status := Status(err)
	reason := "Bad Request"
	extra := ""
	if status == 426 {
		reason = "Upgrade Required"
		// RFC 6455 §4.4 (R-4.4-1, R-4.2.2-4): a 426 names the versions the server speaks.
		extra = "Sec-WebSocket-Version: " + Version + "\r\n"
	}
	body := err.Error() + "\n"
	_, werr := fmt.Fprintf(w, "HTTP/1.1 %d %s\r\n%sContent-Type: text/plain; charset=utf-8\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s",
		status, reason, extra, len(body), body)
	return werr
}
