package chat

import (
	"os"
	"strings"
)

// A complete HTTP/1.1 response, as the server writes it for a path it
// does not know (line endings shown as they are on the wire).
func ExampleWriteResponse() {
	var out strings.Builder
	_ = WriteResponse(&out, 404, "text/plain; charset=utf-8", []byte("not found\n"))
	_, _ = os.Stdout.WriteString(strings.ReplaceAll(out.String(), "\r\n", "⏎\n"))
	// Output:
	// HTTP/1.1 404 Not Found⏎
	// Content-Type: text/plain; charset=utf-8⏎
	// Content-Length: 10⏎
	// Connection: close⏎
	// ⏎
	// not found
}
