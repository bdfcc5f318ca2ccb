// Command chat is the reference chat server, the workshop's finished
// product: open its address in two browser windows and talk. It is step
// 11's hardened server (Origin check, caps, heartbeat, rate limit) with its
// default options; -step 10 runs step 10's, which trusts its clients, for
// the attack kit to show what it lets through (docs/attack.md).
//
//	go run ./solutions/cmd/chat -addr 127.0.0.1:8080          # http:// and ws://
//	go run ./solutions/cmd/chat -addr 127.0.0.1:8443 -tls     # https:// and wss://, self-signed
//	go run ./solutions/cmd/chat -tls -cert c.pem -key k.pem   # https:// and wss://, your certificate
//	go run ./solutions/cmd/chat -step 10                      # the step 10 chat
//
// Your own, built from your steps, is go run ./steps/cmd/chat.
package main

import (
	"crypto/tls"

	chat "github.com/wsfromtcp/workshop/solutions/10-chat"
	hardening "github.com/wsfromtcp/workshop/solutions/11-hardening"
	"github.com/wsfromtcp/workshop/tools/chatkit"
)

func main() {
	chatkit.MainOf(map[int]chatkit.ListenFunc{
		10: func(addr string, config *tls.Config) (chatkit.Server, error) { return chat.Listen(addr, config) },
		11: func(addr string, config *tls.Config) (chatkit.Server, error) {
			return hardening.Listen(addr, hardening.Options{TLS: config})
		},
	}, 11)
}
