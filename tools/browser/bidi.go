package browser

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// bidi is a WebDriver BiDi connection (https://w3c.github.io/webdriver-bidi/):
// the client sends commands, {"id":1,"method":"script.evaluate","params":
// {…}}, and the browser answers each, {"type":"success","id":1,"result":
// {…}} or {"type":"error","id":1,"error":"…","message":"…"}, and sends
// events between the answers, {"type":"event","method":"log.entryAdded",
// "params":{…}}. Each is one WebSocket text message.
type bidi struct {
	ws *websocket.Conn
	// onEvent is called for each event, on the reading goroutine, so in the
	// order the browser sent them and before any later answer is delivered.
	onEvent func(method string, params json.RawMessage)

	writeMu sync.Mutex // one writer at a time, as gorilla/websocket requires

	mu      sync.Mutex
	nextID  int64
	pending map[int64]chan bidiMessage

	done chan struct{} // closed when the connection has ended
	err  error         // why it ended; set before done is closed
}

// bidiMessage is any message from the browser: an answer or an event.
type bidiMessage struct {
	Type    string          `json:"type"` // "success", "error" or "event"
	ID      *int64          `json:"id"`
	Result  json.RawMessage `json:"result"`
	Error   string          `json:"error"`
	Message string          `json:"message"`
	Method  string          `json:"method"`
	Params  json.RawMessage `json:"params"`
}

// bidiError is the browser's error answer to a command.
type bidiError struct {
	Method, Code, Message string
}

func (e *bidiError) Error() string { return fmt.Sprintf("%s: %s: %s", e.Method, e.Code, e.Message) }

// dialBiDi connects to the WebSocket at url and starts reading from it.
func dialBiDi(url string, deadline time.Time, onEvent func(string, json.RawMessage)) (*bidi, error) {
	d := websocket.Dialer{NetDialContext: (&net.Dialer{Deadline: deadline}).DialContext, HandshakeTimeout: time.Until(deadline)}
	ws, _, err := d.Dial(url, nil)
	if err != nil {
		return nil, err
	}
	ws.SetReadLimit(64 << 20) // a screenshot is one message
	c := &bidi{ws: ws, onEvent: onEvent, pending: map[int64]chan bidiMessage{}, done: make(chan struct{})}
	go c.read()
	return c, nil
}

func (c *bidi) read() {
	var err error
	defer func() {
		c.err = err
		close(c.done)
	}()
	for {
		var data []byte
		if _, data, err = c.ws.ReadMessage(); err != nil {
			return
		}
		var m bidiMessage
		if err = json.Unmarshal(data, &m); err != nil {
			err = fmt.Errorf("a message that is not JSON: %w", err)
			return
		}
		switch {
		case m.Type == "event":
			c.onEvent(m.Method, m.Params)
		case m.ID != nil:
			c.mu.Lock()
			reply, ok := c.pending[*m.ID]
			delete(c.pending, *m.ID)
			c.mu.Unlock()
			if ok {
				reply <- m // buffered: never blocks
			}
		}
	}
}

// call sends the command and stores the result of its answer in result
// (may be nil). It gives up at deadline with an error that wraps
// context.DeadlineExceeded.
func (c *bidi) call(deadline time.Time, method string, params, result any) error {
	c.mu.Lock()
	c.nextID++
	id := c.nextID
	reply := make(chan bidiMessage, 1)
	c.pending[id] = reply
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.pending, id)
		c.mu.Unlock()
	}()

	msg, err := json.Marshal(map[string]any{"id": id, "method": method, "params": params})
	if err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	if time.Now().After(deadline) {
		return fmt.Errorf("%s: no time left to send it: %w", method, context.DeadlineExceeded)
	}
	// A write that times out leaves the connection unusable for every later
	// one (gorilla/websocket), so the write has a limit of its own, which
	// only a browser that has stopped reading reaches, not the call's.
	c.writeMu.Lock()
	_ = c.ws.SetWriteDeadline(time.Now().Add(writeTimeout))
	err = c.ws.WriteMessage(websocket.TextMessage, msg)
	c.writeMu.Unlock()
	if err != nil {
		return fmt.Errorf("%s: sending: %w", method, err)
	}

	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	select {
	case m := <-reply:
		return answer(method, m, result)
	case <-c.done:
		select { // an answer that came just before the end still counts
		case m := <-reply:
			return answer(method, m, result)
		default:
		}
		return fmt.Errorf("%s: the browser closed the connection: %v", method, c.err)
	case <-timer.C:
		return fmt.Errorf("%s: no answer in time: %w", method, context.DeadlineExceeded)
	}
}

// answer is the outcome of the command method that the browser answered
// with m: its error, or its result stored in result (may be nil).
func answer(method string, m bidiMessage, result any) error {
	if m.Type == "error" {
		return &bidiError{Method: method, Code: m.Error, Message: m.Message}
	}
	if result == nil {
		return nil
	}
	if err := json.Unmarshal(m.Result, result); err != nil {
		return fmt.Errorf("%s: decoding the answer %s: %w", method, m.Result, err)
	}
	return nil
}

// closed reports whether the connection has ended.
func (c *bidi) closed() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

// remoteValue is a value of the page as WebDriver BiDi sends it: its type
// and, for most types, its value, which holds further remote values for an
// array or object ("RemoteValue" in the spec).
type remoteValue struct {
	Type  string          `json:"type"`
	Value json.RawMessage `json:"value"`
}

// toJSON returns the JSON of the value, as JSON.stringify or Chromium's
// returnByValue would give it, or nil for undefined.
func (v remoteValue) toJSON() ([]byte, error) {
	if v.Type == "undefined" {
		return nil, nil
	}
	plain, err := v.plain()
	if err != nil {
		return nil, err
	}
	return json.Marshal(plain)
}

// plain converts the value into what encoding/json marshals the same way.
func (v remoteValue) plain() (any, error) {
	switch v.Type {
	case "undefined", "null":
		return nil, nil
	case "string", "boolean", "date":
		var x any
		err := json.Unmarshal(v.Value, &x)
		return x, err
	case "number":
		// NaN, -0, Infinity and -Infinity come as strings; JSON has
		// only 0 and null for them.
		if bytes.HasPrefix(v.Value, []byte(`"`)) {
			if string(v.Value) == `"-0"` {
				return 0, nil
			}
			return nil, nil
		}
		return json.Number(v.Value), nil
	case "bigint":
		var s string
		err := json.Unmarshal(v.Value, &s)
		return json.Number(s), err
	case "array", "set":
		var items []remoteValue
		if err := json.Unmarshal(v.Value, &items); err != nil {
			return nil, err
		}
		list := make([]any, len(items))
		for i, item := range items {
			var err error
			if list[i], err = item.plain(); err != nil {
				return nil, err
			}
		}
		return list, nil
	case "object", "map":
		var pairs [][2]json.RawMessage
		if err := json.Unmarshal(v.Value, &pairs); err != nil {
			return nil, err
		}
		obj := make(map[string]any, len(pairs))
		for _, kv := range pairs {
			key, err := objectKey(kv[0])
			if err != nil {
				return nil, err
			}
			var val remoteValue
			if err := json.Unmarshal(kv[1], &val); err != nil {
				return nil, err
			}
			if val.Type == "undefined" {
				continue // JSON.stringify leaves such a property out
			}
			if obj[key], err = val.plain(); err != nil {
				return nil, err
			}
		}
		return obj, nil
	default:
		// A node, a window, a function, a promise…: nothing that JSON can
		// hold, so an empty object, as Chromium's returnByValue gives.
		return map[string]any{}, nil
	}
}

// objectKey is the key of an object's property (a string) or of a map's
// entry (a string, or a remote value whose JSON is then the key).
func objectKey(raw json.RawMessage) (string, error) {
	var key string
	if json.Unmarshal(raw, &key) == nil {
		return key, nil
	}
	var v remoteValue
	if err := json.Unmarshal(raw, &v); err != nil {
		return "", err
	}
	if v.Type == "string" {
		err := json.Unmarshal(v.Value, &key)
		return key, err
	}
	b, err := v.toJSON()
	return string(b), err
}
