package control

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/wsfromtcp/workshop/tools/wstest"
	"github.com/wsfromtcp/workshop/tools/wstest/wsclient"
)

// BenchmarkEchoRoundTrip measures one message to the echo server and back
// over loopback, as gorilla/websocket sends it: masked by the client,
// unmasked, checked and written back by the Conn.
//
//	go test -run NONE -bench EchoRoundTrip ./steps/08-control
func BenchmarkEchoRoundTrip(b *testing.B) {
	srv, err := Serve("127.0.0.1:0", Echo)
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	for _, size := range []int{16, 1 << 10, 64 << 10} {
		b.Run(fmt.Sprintf("%dB", size), func(b *testing.B) {
			ws, err := wsclient.Dial(b, "ws://"+srv.Addr().String()+"/")
			if err != nil {
				b.Fatal(err)
			}
			msg := bytes.Repeat([]byte("x"), size)
			b.SetBytes(int64(size))
			for b.Loop() {
				// Only a hang waits this long.
				deadline := time.Now().Add(wstest.Patience)
				_ = ws.SetWriteDeadline(deadline)
				_ = ws.SetReadDeadline(deadline)
				if err := ws.WriteMessage(websocket.TextMessage, msg); err != nil {
					b.Fatal(err)
				}
				if _, _, err := ws.ReadMessage(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
