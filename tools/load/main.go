// Command load is the load report, make load: CLIENTS WebSocket clients
// join the chat on ADDR (this machine only), each says RATE numbered,
// timestamped messages a second for DURATION, and every client reads
// everything. It prints how many joined, sent and were delivered of those
// due, the delivery latency (p50, p99, max), the clients the server
// closed, and with -pid the server's peak memory; then a one-line verdict.
// It exits with status 1 when not every message reached every client.
//
//	go run ./tools/load -addr 127.0.0.1:8080 -clients 300 -rate 1 -duration 60s -pid $(pgrep -nx chat)
//
// -flood N adds N clients that send 4 KiB messages as fast as they can,
// -stall N clients that join and never read; their fate is reported apart
// from the normal clients'. Chapter: docs/10-chat.md, "Measure it: make load".
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"

	"github.com/wsfromtcp/workshop/tools/load/internal/load"
)

func main() {
	var cfg load.Config
	flag.StringVar(&cfg.URL, "addr", "127.0.0.1:8080", "the chat on this machine: host:port, or a ws:// or wss:// URL (the path defaults to /ws)")
	flag.IntVar(&cfg.Clients, "clients", 300, fmt.Sprintf("normal clients, 1 to %d", load.MaxClients))
	flag.Float64Var(&cfg.Rate, "rate", 1, fmt.Sprintf("messages a second per client, at most %d", load.MaxRate))
	flag.DurationVar(&cfg.Duration, "duration", 60e9, fmt.Sprintf("how long the clients speak, at most %s", load.MaxDuration))
	flag.IntVar(&cfg.Flood, "flood", 0, "clients that flood the room with 4 KiB messages")
	flag.IntVar(&cfg.Stall, "stall", 0, "clients that join and never read")
	flag.IntVar(&cfg.PerAddr, "per-addr", 10, "clients per source address (127.1.0.1, 127.1.0.2, …), so that a cap on connections per address sees many users; 0: all from one")
	flag.IntVar(&cfg.PID, "pid", 0, "the server's process id, to sample its memory (VmRSS) every second")
	flag.DurationVar(&cfg.Patience, "patience", 0, "how long to wait on the server before giving up on it (default 10s)")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	go func() { <-ctx.Done(); stop() }() // a second Ctrl-C ends the program at once
	rep, err := load.Run(ctx, cfg, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(2)
	}
	rep.Write(os.Stdout)
	if !rep.Complete() {
		os.Exit(1)
	}
}
