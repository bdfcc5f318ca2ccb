package browser

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRemoteValuesBecomeTheJSONThatJavaScriptWouldGive(t *testing.T) {
	for _, tc := range []struct {
		name, remote, want string
	}{
		{"undefined", `{"type":"undefined"}`, ``},
		{"null", `{"type":"null"}`, `null`},
		{"string", `{"type":"string","value":"a \"b\""}`, `"a \"b\""`},
		{"boolean", `{"type":"boolean","value":true}`, `true`},
		{"number", `{"type":"number","value":0.5}`, `0.5`},
		{"NaN", `{"type":"number","value":"NaN"}`, `null`},
		{"minus zero", `{"type":"number","value":"-0"}`, `0`},
		{"bigint", `{"type":"bigint","value":"12345678901234567890"}`, `12345678901234567890`},
		{"array with undefined", `{"type":"array","value":[{"type":"number","value":1},{"type":"undefined"}]}`, `[1,null]`},
		{"object", `{"type":"object","value":[["a",{"type":"number","value":1}],["gone",{"type":"undefined"}],["b",{"type":"array","value":[]}]]}`, `{"a":1,"b":[]}`},
		{"map", `{"type":"map","value":[[{"type":"string","value":"k"},{"type":"string","value":"v"}]]}`, `{"k":"v"}`},
		{"node", `{"type":"node","sharedId":"x","value":{"nodeType":1}}`, `{}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var v remoteValue
			require.NoError(t, json.Unmarshal([]byte(tc.remote), &v))
			got, err := v.toJSON()
			require.NoError(t, err)
			assert.Equal(t, tc.want, string(got), "the JSON of %s", tc.remote)
		})
	}
}

// fakeBiDi is a browser's WebDriver BiDi endpoint that answers "echo" with
// its params, "fail" with an error, "event" with an event and then the
// answer, and "silent" never; "hangup" closes the connection.
func fakeBiDi(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer ws.Close()
		for {
			var cmd struct {
				ID     int64           `json:"id"`
				Method string          `json:"method"`
				Params json.RawMessage `json:"params"`
			}
			if ws.ReadJSON(&cmd) != nil {
				return
			}
			var err error
			switch cmd.Method {
			case "echo":
				err = ws.WriteJSON(map[string]any{"type": "success", "id": cmd.ID, "result": cmd.Params})
			case "fail":
				err = ws.WriteJSON(map[string]any{"type": "error", "id": cmd.ID, "error": "no such frame", "message": "context 42 is gone"})
			case "event":
				err = ws.WriteJSON(map[string]any{"type": "event", "method": "log.entryAdded", "params": cmd.Params})
				if err == nil {
					err = ws.WriteJSON(map[string]any{"type": "success", "id": cmd.ID, "result": map[string]any{}})
				}
			case "hangup":
				return
			}
			if err != nil {
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http")
}

func TestBiDiAnswersEachCommandAndDeliversEventsInOrder(t *testing.T) {
	var mu sync.Mutex
	var events []string
	c, err := dialBiDi(fakeBiDi(t), time.Now().Add(patience), func(method string, params json.RawMessage) {
		mu.Lock()
		defer mu.Unlock()
		events = append(events, method+" "+string(params))
	})
	require.NoError(t, err)
	t.Cleanup(func() { c.ws.Close() })

	var out struct{ N int }
	require.NoError(t, c.call(time.Now().Add(patience), "echo", map[string]int{"n": 7}, &out))
	assert.Equal(t, 7, out.N, "call should decode the result of its own answer")

	require.NoError(t, c.call(time.Now().Add(patience), "event", map[string]string{"text": "hello"}, nil))
	mu.Lock()
	assert.Equal(t, []string{`log.entryAdded {"text":"hello"}`}, events, "an event sent before an answer should be delivered before call returns")
	mu.Unlock()

	err = c.call(time.Now().Add(patience), "fail", nil, nil)
	require.Error(t, err)
	assert.Equal(t, "fail: no such frame: context 42 is gone", err.Error(), "the error should give the command, the browser's error code and its message")
	assert.False(t, c.closed(), "an error answer leaves the connection open")
}

func TestBiDiCallGivesUpAtItsDeadline(t *testing.T) {
	c, err := dialBiDi(fakeBiDi(t), time.Now().Add(patience), func(string, json.RawMessage) {})
	require.NoError(t, err)
	t.Cleanup(func() { c.ws.Close() })

	start := time.Now()
	err = c.call(start.Add(200*time.Millisecond), "silent", nil, nil)
	require.Error(t, err, "a command that is never answered should fail")
	assert.True(t, timedOut(err), "the error should be a time-out, not %v", err)
	assert.GreaterOrEqual(t, time.Since(start), 200*time.Millisecond, "call should wait until its deadline")
	assert.Less(t, time.Since(start), 200*time.Millisecond+patience, "call should give up at its deadline")

	err = c.call(time.Now().Add(-time.Millisecond), "echo", nil, nil)
	assert.True(t, timedOut(err), "a call whose deadline has passed should time out, not %v", err)
	require.NoError(t, c.call(time.Now().Add(patience), "echo", nil, nil), "calls that ran out of time should leave the connection usable for the next one")

	err = c.call(time.Now().Add(patience), "hangup", nil, nil)
	require.Error(t, err, "a command whose connection closes should fail")
	assert.Contains(t, err.Error(), "closed the connection")
	assert.True(t, c.closed(), "closed should say that the connection has ended")
}
