// Package echokit is the echo command of both trees: steps/cmd/echo runs it
// on the learner's step 8 and solutions/cmd/echo on the reference, the way
// tools/chatkit runs the two chat commands, so that each main is a few
// lines and the two cannot drift apart. The benchmark's peers
// (tools/bench) run it too, on other libraries' echo servers.
package echokit

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"

	"github.com/wsfromtcp/workshop/tools/chatkit"
)

// Server is what the command needs of an echo server, the server that step
// 8's Serve returns: an address, and Close.
type Server = chatkit.Server

// ServeFunc starts an echo server on addr: step 8's Serve with its Echo
// handler.
type ServeFunc func(addr string) (Server, error)

// Main is the echo command: it reads the flags -addr and -memstats, starts
// the server with serve, prints its ws:// address, and closes it on
// Ctrl-C. It exits the program with status 1 when the server cannot start.
func Main(serve ServeFunc) {
	addr := flag.String("addr", "127.0.0.1:9001", "host:port to listen on")
	memstats := flag.Bool("memstats", false, "answer each line read on stdin with the process's allocation counters on stdout (for make bench)")
	flag.Parse()

	srv, err := serve(*addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "echo:", err)
		os.Exit(1)
	}
	fmt.Printf("echo server on ws://%s/ (Ctrl-C stops it)\n", srv.Addr())
	if *memstats {
		// stdin ending ends the reports, not the server.
		go func() { _ = ReportMemStats(os.Stdin, os.Stdout) }()
	}
	chatkit.CloseOnInterrupt(srv, "stopping: closing every connection")
}

// MemStatsFormat is the line ReportMemStats writes, for fmt.Sscanf: the
// process's runtime.MemStats Mallocs (heap objects allocated so far) and
// TotalAlloc (heap bytes allocated so far), and the CPU time it has used
// so far, user and system, in microseconds (-1 where the system does not
// say: see processCPU). All three only ever grow.
const MemStatsFormat = "memstats mallocs=%d bytes=%d cpu_us=%d\n"

// ReportMemStats answers each line read from r with one MemStatsFormat
// line on w, until r ends. It allocates nothing per answer, so that the
// counters it reports are the server's alone.
func ReportMemStats(r io.Reader, w io.Writer) error {
	sc := bufio.NewScanner(r)
	line := make([]byte, 0, 96)
	var m runtime.MemStats
	for sc.Scan() {
		runtime.ReadMemStats(&m)
		cpu := int64(-1)
		if d, ok := processCPU(); ok {
			cpu = d.Microseconds()
		}
		line = append(line[:0], "memstats mallocs="...)
		line = strconv.AppendUint(line, m.Mallocs, 10)
		line = append(line, " bytes="...)
		line = strconv.AppendUint(line, m.TotalAlloc, 10)
		line = append(line, " cpu_us="...)
		line = strconv.AppendInt(line, cpu, 10)
		line = append(line, '\n')
		if _, err := w.Write(line); err != nil {
			return err
		}
	}
	return sc.Err()
}
