package chat

import (
	"fmt"
	"io"
)

// statusText is the reason phrase of each status this server sends (RFC
// 9110 §15). Clients ignore it; people reading a capture do not.
var statusText = map[int]string{
	200: "OK",
	400: "Bad Request",
	404: "Not Found",
	405: "Method Not Allowed",
}

// WriteResponse writes a complete HTTP/1.1 response (RFC 9112 §4 and §6):
// the status line, Content-Type, Content-Length, Connection: close, for a
// 405 the Allow field that RFC 9110 §15.5.6 requires, an empty line, and
// the body. Content-Length tells the client where the body ends;
// Connection: close tells it that the server closes the connection next,
// since this server answers one request per connection. A status that
// statusText has no reason phrase for is an error, and nothing is written.
func WriteResponse(w io.Writer, status int, contentType string, body []byte) error {
	text, ok := statusText[status]
	if !ok {
		return fmt.Errorf("chat: no reason phrase for status %d", status)
	}
	allow := ""
	if status == 405 {
		allow = "Allow: GET\r\n"
	}
	// One Write for head and body: a client waiting for the whole response
	// gets it in as few packets as possible.
	head := fmt.Sprintf("HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n%sConnection: close\r\n\r\n",
		status, text, contentType, len(body), allow)
	_, err := w.Write(append([]byte(head), body...))
	return err
}
