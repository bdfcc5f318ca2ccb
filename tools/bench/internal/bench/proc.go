package bench

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/url"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/wsfromtcp/workshop/tools/echokit"
	"github.com/wsfromtcp/workshop/tools/internal/localserver"
)

// How long to wait for a child: to start (a busy machine, a cold
// program), and to answer for its allocations.
const (
	startPatience = 15 * time.Second
	statsPatience = 5 * time.Second
)

// build builds s's main package into dir and returns the program's path.
func build(ctx context.Context, root, dir string, s Server) (string, error) {
	bin := filepath.Join(dir, s.Name)
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, s.Pkg)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build %s: %w: %s", s.Pkg, err, firstLines(string(out), 3))
	}
	return bin, nil
}

// proc is a program running as a child process in a process group of its
// own, so that kill ends it and anything it started; it is also killed if
// this process dies (see setProcAttr). Its stdout comes line by line.
type proc struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	lines  chan string
	stderr tail
	done   chan struct{} // closed once the program has exited
	err    error         // how it exited, once done is closed
}

// started, when set (by a test), learns every child's process id.
var started func(pid int)

func start(bin string, args ...string) (*proc, error) {
	p := &proc{cmd: exec.Command(bin, args...), lines: make(chan string, 16), done: make(chan struct{})}
	setProcAttr(p.cmd)
	stdout, w := io.Pipe()
	p.cmd.Stdout, p.cmd.Stderr = w, &p.stderr
	stdin, err := p.cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	p.stdin = stdin
	if err := p.cmd.Start(); err != nil {
		return nil, err
	}
	if started != nil {
		started(p.cmd.Process.Pid)
	}
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			p.lines <- sc.Text()
		}
		close(p.lines)
		_, _ = io.Copy(io.Discard, stdout) // a line too long: do not block the program
	}()
	go func() {
		p.err = p.cmd.Wait()
		_ = w.Close()
		close(p.done)
	}()
	return p, nil
}

// line waits for the program's next line on stdout, for at most patience.
func (p *proc) line(ctx context.Context, patience time.Duration) (string, error) {
	t := time.NewTimer(patience)
	defer t.Stop()
	select {
	case l, ok := <-p.lines:
		if ok {
			return l, nil
		}
		<-p.done
		return "", p.exited()
	case <-t.C:
		return "", fmt.Errorf("%s said nothing for %s", filepath.Base(p.cmd.Path), patience)
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// exited says how the program ended, with the first lines of its stderr.
func (p *proc) exited() error {
	how := "exited"
	if p.err != nil {
		how = p.err.Error()
	}
	return fmt.Errorf("%s: %s", how, firstLines(p.stderr.String(), 1))
}

// kill ends the program's process group and waits for the program to be
// gone. It may be called more than once.
func (p *proc) kill() {
	select {
	case <-p.done:
		return // reaped: its process id may be another's by now
	default:
	}
	killGroup(p.cmd.Process.Pid)
	<-p.done
}

// tail keeps the first 4 KiB written to it: enough for a panic's message.
type tail struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (t *tail) Write(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf.Write(b[:min(len(b), max(0, 4096-t.buf.Len()))])
	return len(b), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.buf.String()
}

// firstLines is s's first n non-empty lines, joined by " | ", or "no
// output".
func firstLines(s string, n int) string {
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" && len(lines) < n {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		return "no output"
	}
	return strings.Join(lines, " | ")
}

// address waits for an echo server's first line (tools/echokit prints
// "echo server on ws://ADDR/ …") and returns its URL, which must be on
// this machine.
func (p *proc) address(ctx context.Context) (string, error) {
	l, err := p.line(ctx, startPatience)
	if err != nil {
		return "", err
	}
	return parseAddress(l)
}

// parseAddress reads the URL in an echo server's first line, and refuses
// one that is not on this machine.
func parseAddress(l string) (string, error) {
	_, rest, ok := strings.Cut(l, "ws://")
	rest, _, _ = strings.Cut(rest, " ")
	u, err := url.Parse("ws://" + rest)
	if !ok || err != nil || u.Port() == "" {
		return "", fmt.Errorf("the server began with %q, not echo server on ws://host:port/", l)
	}
	if !localserver.Loopback(u.Hostname()) {
		return "", fmt.Errorf("refusing %s: make bench measures servers on this machine only (loopback)", u.Host)
	}
	return u.String(), nil
}

// memStats asks an echo server started with -memstats for its counters
// (echokit.ReportMemStats).
func (p *proc) memStats(ctx context.Context) (counters, error) {
	if _, err := io.WriteString(p.stdin, "\n"); err != nil {
		return counters{}, fmt.Errorf("asking for the server's counters: %w", err)
	}
	l, err := p.line(ctx, statsPatience)
	if err != nil {
		return counters{}, err
	}
	var c counters
	var us int64
	if _, err := fmt.Sscanf(l+"\n", echokit.MemStatsFormat, &c.mallocs, &c.bytes, &us); err != nil {
		return counters{}, fmt.Errorf("the server's counters %q: %w", l, err)
	}
	c.cpu = -1
	if us >= 0 {
		c.cpu = time.Duration(us) * time.Microsecond
	}
	return c, nil
}
