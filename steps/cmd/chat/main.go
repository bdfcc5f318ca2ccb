// Command chat is your chat server, built from your own steps: step 10's
// by default, step 11's hardened one with -step 11. Open its address in
// two browser windows and talk, or turn the attack kit on it
// (docs/attack.md).
//
//	go run ./steps/cmd/chat -addr 127.0.0.1:8080          # http:// and ws://
//	go run ./steps/cmd/chat -addr 127.0.0.1:8443 -tls     # https:// and wss://, self-signed
//	go run ./steps/cmd/chat -tls -cert c.pem -key k.pem   # https:// and wss://, your certificate
//	go run ./steps/cmd/chat -step 11                      # your hardened chat of step 11
//
// The reference solution is make chat (go run ./solutions/cmd/chat).
package main

import (
	"crypto/tls"

	chat "github.com/wsfromtcp/workshop/steps/10-chat"
	hardening "github.com/wsfromtcp/workshop/steps/11-hardening"
	"github.com/wsfromtcp/workshop/tools/chatkit"
)

func main() {
	chatkit.MainOf(map[int]chatkit.ListenFunc{
		10: func(addr string, config *tls.Config) (chatkit.Server, error) { return chat.Listen(addr, config) },
		11: func(addr string, config *tls.Config) (chatkit.Server, error) {
			return hardening.Listen(addr, hardening.Options{TLS: config})
		},
	}, 10)
}
