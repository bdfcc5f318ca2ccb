package chat

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/wsfromtcp/workshop/tools/wstest"
	"github.com/wsfromtcp/workshop/tools/wstest/assert"
	"github.com/wsfromtcp/workshop/tools/wstest/require"
)

func TestANewcomerIsWelcomedWithItsNicknameAndWhoIsHere(t *testing.T) {
	srv := start(t, nil)
	_, first := join(t, srv, "ann")
	assert.Equal(t, Event{Type: "welcome", Nick: "ann", People: []string{"ann"}}, first,
		"the welcome carries the newcomer's nickname and everyone in the room, the newcomer included")

	_, second := join(t, srv, "  ann ")
	assert.Equal(t, "ann (2)", second.Nick, "a nickname is trimmed, and a taken one made unique: the second ann is \"ann (2)\"")
	assert.Equal(t, []string{"ann", "ann (2)"}, second.People, "the people in the room, sorted")
}

func TestEveryoneHearsWhatIsSaidWithTheSpeakersNickname(t *testing.T) {
	srv := start(t, nil)
	ann, _ := join(t, srv, "ann")
	assert.Equal(t, Event{Type: "join", Nick: "ann"}, ann.next("ann's own join"), "everyone hears a join, the newcomer too")
	bob, _ := join(t, srv, "bob")
	assert.Equal(t, Event{Type: "join", Nick: "bob"}, bob.next("bob's own join"))
	assert.Equal(t, Event{Type: "join", Nick: "bob"}, ann.next("bob's join"), "ann hears that bob joined")

	for i := range 5 {
		ann.send(Event{Type: "say", Text: fmt.Sprint("hello ", i)})
	}
	for _, c := range []*client{ann, bob} {
		for i := range 5 {
			assert.Equal(t, Event{Type: "say", Nick: "ann", Text: fmt.Sprint("hello ", i)}, c.next("ann's messages"),
				"every message reaches everyone, the speaker too, with the speaker's nickname, in order")
		}
	}
	bob.send(Event{Type: "say", Text: "hi ann"})
	for _, c := range []*client{ann, bob} {
		assert.Equal(t, Event{Type: "say", Nick: "bob", Text: "hi ann"}, c.next("bob's message"))
	}
}

func TestALeaveIsAnnouncedAndFreesTheNickname(t *testing.T) {
	srv := start(t, nil)
	ann, _ := join(t, srv, "ann")
	ann.next("ann's own join")
	bob, _ := join(t, srv, "bob")
	ann.next("bob's join")
	require.NoError(t, bob.ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, "bye")))
	assert.Equal(t, websocket.CloseNormalClosure, bob.closeCode("after bob's close"), "the server answers a close with a close (RFC 6455 §5.5.1)")
	bob.ws.Close() // as a browser does once the server has closed
	assert.Equal(t, Event{Type: "leave", Nick: "bob"}, ann.next("bob's leave"), "when a connection ends, everyone hears who left")

	_, again := join(t, srv, "bob")
	assert.Equal(t, "bob", again.Nick, "the nickname of someone who left is free again")
}

func TestAClientMustJoinWithANicknameFirst(t *testing.T) {
	srv := start(t, nil)
	for _, first := range []Event{{Type: "say", Text: "hello?"}, {Type: "join", Nick: "   "}, {Type: "join", Nick: "a\x07b"}} {
		c := connect(t, "ws://"+srv.Addr().String()+"/ws", nil)
		c.send(first)
		assert.Equal(t, websocket.ClosePolicyViolation, c.closeCode(fmt.Sprintf("after %+v", first)),
			"a first message that is not a join with a usable nickname is closed with 1008, policy violation (RFC 6455 §7.4.1)")
	}
}

func TestEventsStayValidJSONWhateverIsSaid(t *testing.T) {
	srv := start(t, nil)
	nick := `o"hara \ <b>`
	ann, welcome := join(t, srv, nick)
	require.Equal(t, nick, welcome.Nick, "a nickname with a quote, a backslash and a tag is a nickname like any other")
	require.Equal(t, Event{Type: "join", Nick: nick}, ann.next("ann's own join"), "everyone hears a join, the newcomer too")
	for _, text := range []string{`she said "hi"`, `C:\temp\new`, "two\nlines\tand a tab", "<script>alert(1)</script> & é"} {
		ann.send(Event{Type: "say", Text: text})
		assert.Equal(t, Event{Type: "say", Nick: nick, Text: text}, ann.next("the say event of "+strconv.Quote(text)),
			"a say event carries the text as it was said, whatever it holds: encoding/json escapes what JSON must")
	}
}

func TestAnythingButASayAfterTheJoinIsClosedWith1003(t *testing.T) {
	// Proves RFC 6455 R-7.4.1-2 (docs/rfc6455.md).
	srv := start(t, nil)
	for _, tc := range []struct {
		name string
		kind int
		data string
	}{
		{"an event of an unknown type", websocket.TextMessage, `{"type":"shout","text":"HELLO"}`},
		{"a second join", websocket.TextMessage, `{"type":"join","nick":"bob"}`},
		{"text that is not JSON", websocket.TextMessage, `hello`},
		{"a say event sent as a binary message", websocket.BinaryMessage, `{"type":"say","text":"hi"}`},
	} {
		c, _ := join(t, srv, "ann")
		c.next("ann's own join")
		_ = c.ws.SetWriteDeadline(time.Now().Add(wstest.Patience))
		require.NoError(t, c.ws.WriteMessage(tc.kind, []byte(tc.data)))
		rule := fmt.Sprintf("after the join, a client sends only say events, as text: %s is closed with 1003, unsupported data (RFC 6455 §7.4.1)", tc.name)
		require.Equal(t, websocket.CloseUnsupportedData, c.closeCode(rule), rule)
	}
}

func TestAnEventOverMaxEventSizeIsClosedWith1009(t *testing.T) {
	srv := start(t, nil)
	ann, _ := join(t, srv, "ann")
	ann.next("ann's own join")
	say := func(n int) []byte {
		prefix, suffix := `{"type":"say","text":"`, `"}`
		return []byte(prefix + strings.Repeat("x", n-len(prefix)-len(suffix)) + suffix)
	}
	_ = ann.ws.SetWriteDeadline(time.Now().Add(wstest.Patience))
	require.NoError(t, ann.ws.WriteMessage(websocket.TextMessage, say(MaxEventSize)))
	assert.Equal(t, "say", ann.next("the say event of a message of exactly MaxEventSize bytes").Type, "a message of exactly MaxEventSize bytes is allowed")
	require.NoError(t, ann.ws.WriteMessage(websocket.TextMessage, say(MaxEventSize+1)))
	rule := "a message over MaxEventSize fails the connection with 1009, message too big (RFC 6455 §7.4.1): call step 8's SetMaxMessageSize(MaxEventSize) first"
	assert.Equal(t, websocket.CloseMessageTooBig, ann.closeCode(rule), rule)
}

func TestClosingTheServerSaysGoingAwayToEveryone(t *testing.T) {
	// Proves RFC 6455 R-7.3-1 (docs/rfc6455.md).
	srv := start(t, nil)
	ann, _ := join(t, srv, "ann")
	bob, _ := join(t, srv, "bob")
	go srv.Close()
	for _, c := range []*client{ann, bob} {
		assert.Equal(t, websocket.CloseGoingAway, c.closeCode("when the server closes"),
			"a server that shuts down closes every connection with 1001, going away (RFC 6455 §7.4.1)")
	}
}
