// Command attack turns an attack on a chat server running on this machine
// (step 10's, or step 11's hardened one) and says in one line whether the
// server held. The attacks and what they prove are in docs/attack.md.
//
//	go run ./tools/attack -kind idle -addr 127.0.0.1:8080
//	make attack KIND=flood ADDR=127.0.0.1:8080
//
// Only loopback addresses are attacked, with bounded counts and times.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/wsfromtcp/workshop/tools/attack/internal/attack"
)

func main() {
	d := attack.Defaults
	kind := flag.String("kind", "", "the attack: "+attack.Names())
	var c attack.Config
	flag.StringVar(&c.Addr, "addr", "127.0.0.1:8080", "the server, host:port on loopback")
	flag.StringVar(&c.Path, "path", d.Path, "the WebSocket endpoint")
	flag.IntVar(&c.N, "n", d.N, "connections to open (idle, bighead, slowloris)")
	flag.IntVar(&c.K, "k", d.K, "well-behaved clients beside the attacker (flood, stall); slowloris: slow frames after a handshake")
	flag.DurationVar(&c.T, "t", 0, fmt.Sprintf("how long the attack lasts before the verdict (default %s; slowloris %s, vanish and stall %s)",
		d.T, attack.LongerT["slowloris"], attack.LongerT["stall"]))
	flag.DurationVar(&c.Drain, "drain", d.Drain, "after the attack, how long to wait for what the server already sent")
	flag.DurationVar(&c.Every, "every", d.Every, "slowloris: the pause between two bytes of a head or a frame")
	flag.IntVar(&c.PID, "pid", 0, "bighead: the server's process id, to read its memory in /proc")
	list := flag.Bool("list", false, "list the kinds of attack and stop")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: attack -kind KIND [-addr 127.0.0.1:8080] [flags]")
		fmt.Fprintln(os.Stderr, "kinds:", attack.Names())
		flag.PrintDefaults()
	}
	flag.Parse()
	if *list {
		fmt.Println(attack.Names())
		return
	}
	if *kind == "" {
		flag.Usage()
		os.Exit(2)
	}
	r, err := attack.Run(*kind, c)
	if err != nil {
		fmt.Fprintf(os.Stderr, "attack %s: %v\n", *kind, err)
		os.Exit(2)
	}
	mark := "FELL"
	if r.Held {
		mark = "HELD"
	}
	fmt.Printf("%s %s: %s\n", mark, *kind, r.Line)
}
