package chat

import (
	"bufio"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/wsfromtcp/workshop/tools/chatkit"

	"github.com/wsfromtcp/workshop/tools/wstest"
	"github.com/wsfromtcp/workshop/tools/wstest/assert"
	"github.com/wsfromtcp/workshop/tools/wstest/require"
)

func TestGetSlashServesTheChatPage(t *testing.T) {
	srv := start(t, nil)
	resp, err := httpClient(nil).Get("http://" + srv.Addr().String() + "/")
	require.NoError(t, err, "a browser opening http://%s/ must get an HTTP response", srv.Addr())
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode, "GET / is the chat page")
	assert.Equal(t, "text/html; charset=utf-8", resp.Header.Get("Content-Type"), "the browser must be told that the page is HTML")
	assert.Equal(t, string(chatkit.Page()), string(body), "the body is the embedded page, whole")
}

func TestOtherRequestsGetPlainHTTPErrors(t *testing.T) {
	// Proves RFC 6455 R-4.2.2-5 (docs/rfc6455.md).
	srv := start(t, nil)
	base := "http://" + srv.Addr().String()
	resp, err := httpClient(nil).Get(base + "/nothing-here")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 404, resp.StatusCode, "a path other than / and /ws is not found")

	resp, err = httpClient(nil).Post(base+"/", "text/plain", strings.NewReader("hello"))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 405, resp.StatusCode, "only GET is served: POST gets 405 Method Not Allowed")

	resp, err = httpClient(nil).Get(base + "/ws")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 400, resp.StatusCode, "a plain GET of /ws is not an opening handshake: 400, as step 3 answers (RFC 6455 §4.2.1)")

	conn := wstest.Dial(t, srv.Addr().String())
	_, err = io.WriteString(conn, "HELLO\r\n\r\n")
	require.NoError(t, err)
	resp, err = http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err, "a request line that is not HTTP still gets an HTTP answer")
	resp.Body.Close()
	assert.Equal(t, 400, resp.StatusCode, "a malformed request gets 400 Bad Request")
}
