package inspect

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"
)

// Stream decodes frames from bytes that arrive in pieces of any size, as
// they do from TCP: Feed keeps an incomplete frame until the rest comes.
type Stream struct {
	From From
	buf  []byte
}

// Feed adds bytes and returns the frames they complete.
func (s *Stream) Feed(p []byte) []Frame {
	s.buf = append(s.buf, p...)
	var out []Frame
	for len(s.buf) > 0 {
		f, n := decodeOne(s.buf)
		if f.Missing > 0 {
			break
		}
		f.Raw = append([]byte(nil), f.Raw...) // s.buf is reused
		f.Problems = check(f, s.From)
		out = append(out, f)
		s.buf = s.buf[n:]
	}
	return out
}

// Proxy listens on listen, forwards every connection to target, and writes
// each frame that passes, in both directions, to out: one line each, or
// the full diagram when verbose. It returns when ctx ends.
func Proxy(ctx context.Context, listen, target string, out io.Writer, verbose bool) error {
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "wsframe: proxying ws://%s/ → %s; point your browser at the first\n", ln.Addr(), target)
	return serveProxy(ctx, ln, target, out, verbose)
}

func serveProxy(ctx context.Context, ln net.Listener, target string, out io.Writer, verbose bool) error {
	var mu sync.Mutex // one frame's lines are printed together
	log := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(out, "%s "+format+"\n", append([]any{time.Now().Format("15:04:05.000")}, args...)...)
	}
	go func() { <-ctx.Done(); ln.Close() }()
	var wg sync.WaitGroup
	defer wg.Wait()
	for id := 1; ; id++ {
		client, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			relay(ctx, id, client, target, verbose, log, &mu, out)
		}()
	}
}

func relay(ctx context.Context, id int, client net.Conn, target string, verbose bool, log func(string, ...any), mu *sync.Mutex, out io.Writer) {
	defer client.Close()
	server, err := net.DialTimeout("tcp", target, 3*time.Second)
	if err != nil {
		log("#%d cannot reach %s: %v", id, target, err)
		return
	}
	defer server.Close()
	stop := context.AfterFunc(ctx, func() { client.Close(); server.Close() })
	defer stop()

	// The opening handshake is HTTP: pass each head on as it is and show
	// its first line.
	cr, sr := bufio.NewReader(client), bufio.NewReader(server)
	head, err := readHead(cr)
	if err != nil {
		return
	}
	log("#%d client → server  %s", id, firstLine(head))
	if _, err := server.Write(head); err != nil {
		return
	}
	head, err = readHead(sr)
	if err != nil {
		log("#%d server closed during the handshake", id)
		return
	}
	status := firstLine(head)
	log("#%d server → client  %s", id, status)
	if _, err := client.Write(head); err != nil {
		return
	}
	// Frames follow only a 101 (RFC 6455 §4.2.2); after any other answer
	// (a page, a 400) the bytes are HTTP, passed on without decoding.
	upgraded := strings.HasPrefix(status, "HTTP/1.1 101")
	if !upgraded {
		log("#%d not a WebSocket upgrade: passing the rest through as it is", id)
	}

	pipe := func(from From, r io.Reader, w net.Conn, arrow string, done chan<- struct{}) {
		defer close(done)
		s := Stream{From: from}
		buf := make([]byte, 32<<10)
		for {
			n, err := r.Read(buf)
			if n > 0 && !upgraded {
				if _, werr := w.Write(buf[:n]); werr != nil {
					return
				}
			} else if n > 0 {
				for _, f := range s.Feed(buf[:n]) {
					if verbose {
						mu.Lock()
						fmt.Fprintf(out, "%s #%d %s\n", time.Now().Format("15:04:05.000"), id, arrow)
						Draw(out, f, from)
						mu.Unlock()
					} else {
						log("#%d %s  %s", id, arrow, Line(f))
					}
				}
				if _, werr := w.Write(buf[:n]); werr != nil {
					return
				}
			}
			if err != nil {
				log("#%d %s  connection closed", id, arrow)
				if tcp, ok := w.(*net.TCPConn); ok {
					_ = tcp.CloseWrite()
				}
				return
			}
		}
	}
	up, down := make(chan struct{}), make(chan struct{})
	go pipe(Client, cr, server, "client → server", up)
	go pipe(Server, sr, client, "server → client", down)
	<-up
	<-down
}

// readHead reads an HTTP head, up to and including the empty line.
func readHead(br *bufio.Reader) ([]byte, error) {
	var head []byte
	for len(head) < 64<<10 {
		line, err := br.ReadSlice('\n')
		head = append(head, line...)
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return nil, err
		}
		if string(line) == "\r\n" || string(line) == "\n" {
			return head, nil
		}
	}
	return nil, errors.New("inspect: HTTP head over 64 KiB")
}

func firstLine(head []byte) string {
	line, _, _ := strings.Cut(string(head), "\n")
	return strings.TrimSpace(line)
}
