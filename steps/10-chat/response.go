package chat

import "io"

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
	// TODO(step 10): the status line with the reason phrase from statusText
	// (an error for a status it does not know), the header fields, an empty
	// line, then the body.
	panic("TODO(step 10): write WriteResponse")
}
