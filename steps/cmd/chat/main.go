// Command chat is your chat server, built from your own steps 1 to 10:
// open its address in two browser windows and talk.
//
//	go run ./steps/cmd/chat -addr 127.0.0.1:8080          # http:// and ws://
//	go run ./steps/cmd/chat -addr 127.0.0.1:8443 -tls     # https:// and wss://, self-signed
//	go run ./steps/cmd/chat -tls -cert c.pem -key k.pem   # https:// and wss://, your certificate
//
// The reference solution is make chat (go run ./solutions/cmd/chat).
package main

import (
	"crypto/tls"

	chat "github.com/wsfromtcp/workshop/steps/10-chat"
	"github.com/wsfromtcp/workshop/tools/chatkit"
)

func main() {
	chatkit.Main(func(addr string, config *tls.Config) (chatkit.Server, error) {
		return chat.Listen(addr, config)
	})
}
