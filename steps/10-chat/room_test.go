package chat

import (
	"fmt"
	"testing"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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

func TestClosingTheServerSaysGoingAwayToEveryone(t *testing.T) {
	srv := start(t, nil)
	ann, _ := join(t, srv, "ann")
	bob, _ := join(t, srv, "bob")
	go srv.Close()
	for _, c := range []*client{ann, bob} {
		assert.Equal(t, websocket.CloseGoingAway, c.closeCode("when the server closes"),
			"a server that shuts down closes every connection with 1001, going away (RFC 6455 §7.4.1)")
	}
}
