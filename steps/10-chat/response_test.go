package chat

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"testing"

	"github.com/wsfromtcp/workshop/tools/wstest/assert"
	"github.com/wsfromtcp/workshop/tools/wstest/require"
)

func TestWriteResponseWritesACompleteHTTPResponse(t *testing.T) {
	cases := []struct {
		name        string
		status      int
		contentType string
		body        string
	}{
		{"the page", 200, "text/html; charset=utf-8", "<!doctype html><title>chat</title>"},
		{"not found", 404, "text/plain; charset=utf-8", "not found\n"},
		{"a method that is not allowed", 405, "text/plain; charset=utf-8", "only GET\n"},
		{"a bad request with an empty body", 400, "text/plain; charset=utf-8", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			require.NoError(t, WriteResponse(&out, tc.status, tc.contentType, []byte(tc.body)))
			assert.Regexp(t, `^HTTP/1\.1 \d{3} [A-Z][A-Za-z ]+\r\n`, out.String(),
				"a response starts with the status line: HTTP/1.1, the status code, a reason phrase, CRLF (RFC 9112 §4)")

			// Go's own HTTP client reads what was written, as a browser would.
			resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(out.Bytes())), nil)
			require.NoError(t, err, "the response must be valid HTTP/1.1:\n%s", out.String())
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err, "the body must be as long as Content-Length says")
			assert.Equal(t, tc.status, resp.StatusCode)
			assert.Equal(t, tc.contentType, resp.Header.Get("Content-Type"), "Content-Type tells the browser what the body is")
			assert.Equal(t, int64(len(tc.body)), resp.ContentLength, "Content-Length must be the body's length in bytes (RFC 9112 §6.3)")
			assert.True(t, resp.Close, "Connection: close tells the client that the server closes the connection after this response")
			assert.Equal(t, tc.body, string(body))
			if tc.status == 405 {
				assert.Equal(t, "GET", resp.Header.Get("Allow"), "a 405 response MUST say which methods are allowed, in Allow (RFC 9110 §15.5.6)")
			}
		})
	}
	assert.Error(t, WriteResponse(io.Discard, 299, "text/plain", nil), "a status without a reason phrase in statusText is an error")
}
