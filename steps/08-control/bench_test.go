package control

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/gorilla/websocket"
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
			ws, resp, err := websocket.DefaultDialer.Dial("ws://"+srv.Addr().String()+"/", nil)
			if err != nil {
				b.Fatal(err)
			}
			resp.Body.Close()
			defer ws.Close()
			msg := bytes.Repeat([]byte("x"), size)
			b.SetBytes(int64(size))
			for b.Loop() {
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
