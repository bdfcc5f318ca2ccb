package wsclient

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wsfromtcp/workshop/tools/wstest"
)

// echoServer is a gorilla/websocket echo server that reports, on ended,
// how each connection ended.
func echoServer(t *testing.T, ended chan<- error) string {
	up := websocket.Upgrader{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer ws.Close()
		for {
			kind, msg, err := ws.ReadMessage()
			if err == nil {
				err = ws.WriteMessage(kind, msg)
			}
			if err != nil {
				ended <- err
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http") + "/"
}

func TestDialConnectsAndClosesTheConnectionWhenTheTestEnds(t *testing.T) {
	ended := make(chan error, 1)
	url := echoServer(t, ended)
	t.Run("dial", func(t *testing.T) {
		ws, err := Dial(t, url, Buffers(1<<16))
		require.NoError(t, err)
		require.NoError(t, ws.WriteMessage(websocket.TextMessage, []byte("hi")))
		_, msg, err := ws.ReadMessage()
		require.NoError(t, err, "the connection starts with deadlines far enough away for one round trip")
		assert.Equal(t, "hi", string(msg))
	})
	select {
	case err := <-ended:
		assert.Error(t, err, "the server saw the connection end")
	case <-time.After(wstest.Patience):
		assert.Fail(t, "the connection was still open after the test that dialled it ended")
	}
}

func TestDialReturnsTheHandshakeError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no", http.StatusBadRequest)
	}))
	defer srv.Close()
	ws, err := Dial(t, "ws"+strings.TrimPrefix(srv.URL, "http")+"/", ReceiveBuffer(64<<10))
	assert.ErrorIs(t, err, websocket.ErrBadHandshake)
	assert.Nil(t, ws)
}

func TestDialGivesUpOnASilentServerAfterPatience(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	go func() { // accept, and never answer
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			defer conn.Close()
		}
	}()
	old := wstest.Patience
	wstest.Patience = 200 * time.Millisecond
	defer func() { wstest.Patience = old }()
	_, err = Dial(t, "ws://"+ln.Addr().String()+"/")
	var ne net.Error
	if assert.ErrorAs(t, err, &ne, "a server that never answers the handshake is given up on") {
		assert.True(t, ne.Timeout(), "Dial gives up when Patience runs out: %v", err)
	}
}
