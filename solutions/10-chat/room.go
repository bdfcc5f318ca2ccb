package chat

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	frame "github.com/wsfromtcp/workshop/solutions/04-frame-decode"
	control "github.com/wsfromtcp/workshop/solutions/08-control"
	hub "github.com/wsfromtcp/workshop/solutions/09-hub"
)

// Event is one chat event, sent as a JSON text message in both directions.
//
// A client sends {"type":"join","nick":"ann"} first, then
// {"type":"say","text":"hello"} for each message. The server sends the
// newcomer {"type":"welcome","nick":"ann","people":["ann","bob"]} (its
// nickname, made unique, and who is here), and everyone
// {"type":"join","nick":"ann"}, {"type":"say","nick":"ann","text":"hello"}
// and {"type":"leave","nick":"ann"}.
type Event struct {
	Type   string   `json:"type"`
	Nick   string   `json:"nick,omitempty"`
	Text   string   `json:"text,omitempty"`
	People []string `json:"people,omitempty"`
}

// Limits on what a client sends. MaxEventSize is the WebSocket message limit
// (SetMaxMessageSize: a bigger message fails the connection with 1009), so
// that nobody can post a novel; the others keep the page readable.
const (
	MaxEventSize = 4096
	MaxNickRunes = 24
)

// ErrNotJoined: the first message was not a join with a usable nickname.
// The connection is closed with 1008, policy violation (RFC 6455 §7.4.1).
var ErrNotJoined = errors.New("chat: join first, with a nickname")

// Room is the chat room: it speaks the chat protocol on each connection and
// uses the hub to reach everyone. The hub owns the connections; the room
// only keeps the nicknames in use.
type Room struct {
	hub *hub.Hub

	mu     sync.Mutex
	people map[string]bool
}

// NewRoom returns a room that broadcasts through h, which must be running.
func NewRoom(h *hub.Hub) *Room {
	return &Room{hub: h, people: make(map[string]bool)}
}

// Handle serves one chat connection: the join, then every message said,
// until the connection ends; then everyone hears that the client left.
// Messages are limited to MaxEventSize (a bigger one fails the connection
// with 1009); after the join, anything but a say event sent as text is
// closed with 1003, unsupported data (RFC 6455 §7.4.1). Every event is built
// with encode (encoding/json), never by pasting strings together: a
// nickname or a text may hold a quote, a backslash or a newline.
func (r *Room) Handle(c *control.Conn) {
	c.SetMaxMessageSize(MaxEventSize)
	nick, people, err := r.join(c)
	if err != nil {
		// Close returns after the client's answer or closeWait: the
		// connection's goroutine is the right place to wait.
		_ = c.Close(control.StatusPolicyViolation, err.Error())
		return
	}

	var client *hub.Client
	defer func() {
		r.hub.Leave(client) // a nil client: nothing to leave
		// Free the nickname before anyone hears of the leave: whoever hears
		// it may try to take the name at once.
		r.release(nick)
		if client != nil {
			r.hub.Broadcast(nil, frame.OpText, encode(Event{Type: "leave", Nick: nick}))
		}
	}()

	// The welcome goes out before the client joins the hub, so it is the
	// first message the newcomer gets.
	if c.WriteMessage(frame.OpText, encode(Event{Type: "welcome", Nick: nick, People: people})) != nil {
		return
	}
	if client = r.hub.Join(c); client == nil {
		return // the hub has stopped
	}
	r.hub.Broadcast(nil, frame.OpText, encode(Event{Type: "join", Nick: nick}))

	for {
		op, data, err := c.ReadMessage()
		if err != nil {
			return // a *control.CloseError: the connection has ended
		}
		var ev Event
		if op != frame.OpText || json.Unmarshal(data, &ev) != nil || ev.Type != "say" {
			// RFC 6455 §7.4.1 (R-7.4.1-2): data the chat cannot accept gets 1003.
			_ = c.Close(control.StatusUnsupportedData, `chat: send {"type":"say","text":"…"} as text`)
			return
		}
		if strings.TrimSpace(ev.Text) == "" {
			continue
		}
		// From nil, not from client: the sender gets its own message back,
		// in the same order as everyone else sees it.
		r.hub.Broadcast(nil, frame.OpText, encode(Event{Type: "say", Nick: nick, Text: ev.Text}))
	}
}

// join reads the client's join event and claims a nickname for it,
// returning the nickname and who is in the room, the newcomer included.
func (r *Room) join(c *control.Conn) (string, []string, error) {
	op, data, err := c.ReadMessage()
	if err != nil {
		return "", nil, err
	}
	var ev Event
	if op != frame.OpText || json.Unmarshal(data, &ev) != nil || ev.Type != "join" {
		return "", nil, fmt.Errorf("%w: got %.40q", ErrNotJoined, data)
	}
	nick, err := cleanNick(ev.Nick)
	if err != nil {
		return "", nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	// Two people may not share a name: the second "ann" becomes "ann (2)".
	unique := nick
	for i := 2; r.people[unique]; i++ {
		unique = fmt.Sprintf("%s (%d)", nick, i)
	}
	r.people[unique] = true
	people := make([]string, 0, len(r.people))
	for p := range r.people {
		people = append(people, p)
	}
	slices.Sort(people)
	return unique, people, nil
}

// release frees a nickname when its owner leaves.
func (r *Room) release(nick string) {
	r.mu.Lock()
	delete(r.people, nick)
	r.mu.Unlock()
}

// cleanNick trims a nickname and refuses an empty or long one, or one with
// characters that are not printable.
func cleanNick(nick string) (string, error) {
	nick = strings.TrimSpace(nick)
	switch {
	case nick == "":
		return "", fmt.Errorf("%w: the nickname is empty", ErrNotJoined)
	case utf8.RuneCountInString(nick) > MaxNickRunes:
		return "", fmt.Errorf("%w: nickname %q is longer than %d characters", ErrNotJoined, nick, MaxNickRunes)
	case strings.IndexFunc(nick, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0:
		return "", fmt.Errorf("%w: nickname %q has characters that cannot be shown", ErrNotJoined, nick)
	}
	return nick, nil
}

// encode marshals an event; an Event always marshals.
func encode(ev Event) []byte {
	b, _ := json.Marshal(ev)
	return b
}
