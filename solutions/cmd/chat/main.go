// Command chat is the reference chat server, the workshop's finished
// product: open its address in two browser windows and talk.
//
//	go run ./solutions/cmd/chat -addr 127.0.0.1:8080          # http:// and ws://
//	go run ./solutions/cmd/chat -addr 127.0.0.1:8443 -tls     # https:// and wss://, self-signed
//	go run ./solutions/cmd/chat -tls -cert c.pem -key k.pem   # https:// and wss://, your certificate
//
// Your own, built from your steps, is go run ./steps/cmd/chat.
package main

import (
	"crypto/tls"

	chat "github.com/wsfromtcp/workshop/solutions/10-chat"
	"github.com/wsfromtcp/workshop/tools/chatkit"
)

func main() {
	chatkit.Main(func(addr string, config *tls.Config) (chatkit.Server, error) {
		return chat.Listen(addr, config)
	})
}
