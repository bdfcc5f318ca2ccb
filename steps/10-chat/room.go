package chat

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	control "github.com/wsfromtcp/workshop/steps/08-control"
	hub "github.com/wsfromtcp/workshop/steps/09-hub"
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
	// TODO(step 10): limit messages to MaxEventSize. Take the join (with
	// r.join; close with 1008 when it fails). Send the newcomer its welcome,
	// join the hub, and tell everyone who joined. Then broadcast each "say"
	// with the speaker's nickname to everyone, the speaker too, until the
	// connection ends; close with 1003 on anything that is not a say event.
	// At the end: leave the hub, free the nickname, then tell everyone.
	panic("TODO(step 10): write Room.Handle")
}

// join reads the client's join event and claims a nickname for it,
// returning the nickname and who is in the room, the newcomer included.
func (r *Room) join(c *control.Conn) (string, []string, error) {
	// TODO(step 10): read the first message; it must be a text join event
	// with a nickname that cleanNick accepts (else an error wrapping
	// ErrNotJoined). Claim the nickname, made unique as "ann (2)", and
	// return it with the sorted list of everyone here, the newcomer too.
	panic("TODO(step 10): write Room.join")
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
