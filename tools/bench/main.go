// Command bench is make bench: it builds your echo server, the reference,
// and gorilla/websocket's and coder/websocket's, runs each in turn on this
// machine, has the same gorilla/websocket client echo messages through
// each for the same time (1 and 32 connections × 16 B, 1 KiB, 64 KiB,
// 4 MiB messages), and prints msg/s, the ratio to gorilla's, and each
// server's allocations per message; then it times masking, and draws the
// msg/s as a chart in bin/bench.svg. A server of yours that is not
// finished shows as such, and the others still run.
//
//	go run ./tools/bench -time 1.5s -conns 1,32 -sizes 16,1K,64K,4M -servers yours,reference,gorilla,coder
//
// It stops at its budget (Config.Budget: about 2 min for the defaults)
// whatever the servers do, and leaves no server running. It exits with
// status 1 when a cell failed, 2 on a usage error, when interrupted or out
// of time. Chapter: docs/12-performance.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/wsfromtcp/workshop/tools/bench/internal/bench"
	"github.com/wsfromtcp/workshop/tools/course"
)

func main() { os.Exit(run()) }

func run() int {
	cfg, svg, err := parseFlags()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 2
	}
	root, err := course.Root()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 2
	}
	cfg.Root = root

	interrupted, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() { <-interrupted.Done(); stop() }() // a second Ctrl-C ends the program at once
	ctx, cancel := context.WithTimeout(interrupted, cfg.Budget())
	defer cancel()
	res, err := bench.Measure(ctx, cfg, os.Stderr)
	fmt.Fprintln(os.Stderr)
	if err := bench.Print(os.Stdout, res); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 2
	}
	if errors.Is(err, context.DeadlineExceeded) {
		fmt.Fprintf(os.Stderr, "bench: out of time (%s for this run): the table has what was measured; a first run also builds the peers, run it again\n", cfg.Budget())
		return 2
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench: interrupted: the table has what was measured before")
		return 2
	}
	if svg != "none" {
		path := svg
		if !filepath.IsAbs(path) {
			path = filepath.Join(cfg.Root, path)
		}
		if err := writeSVG(path, res); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			return 2
		}
		fmt.Printf("\nchart: %s\n", svg)
	}
	for _, c := range res.Cells {
		for _, r := range c.Runs {
			if r.Err != "" && r.Unfinished == "" {
				return 1
			}
		}
	}
	return 0
}

// parseFlags reads the command line into a run's Config (checked) and the
// chart's path.
func parseFlags() (bench.Config, string, error) {
	cfg := bench.Default()
	flag.DurationVar(&cfg.Time, "time", cfg.Time, fmt.Sprintf("measured time per cell, at most %s", bench.MaxTime))
	flag.DurationVar(&cfg.Warmup, "warmup", cfg.Warmup, "warm-up per cell, not measured")
	conns := flag.String("conns", "1,32", "connections at once, comma separated")
	sizes := flag.String("sizes", "16,1K,64K,4M", "message sizes, comma separated, K and M for KiB and MiB")
	masks := flag.String("masks", "64K,1M", "buffer sizes of the masking table; none for no table")
	servers := flag.String("servers", "", "servers to run, comma separated (default all: "+strings.Join(bench.Names(bench.Servers), ",")+")")
	svg := flag.String("svg", "bin/bench.svg", "the chart to write, from the checkout's root; none for no chart")
	flag.Parse()

	var err error
	if cfg.Conns, err = bench.ParseInts(*conns); err != nil {
		return cfg, "", fmt.Errorf("-conns: %w", err)
	}
	if cfg.Sizes, err = bench.ParseSizes(*sizes); err != nil {
		return cfg, "", fmt.Errorf("-sizes: %w", err)
	}
	cfg.Masks = nil
	if *masks != "none" {
		if cfg.Masks, err = bench.ParseSizes(*masks); err != nil {
			return cfg, "", fmt.Errorf("-masks: %w", err)
		}
	}
	if *servers != "" {
		cfg.Servers = strings.Split(*servers, ",")
	}
	return cfg, *svg, cfg.Check()
}

func writeSVG(path string, res bench.Result) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := bench.WriteSVG(f, res); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
