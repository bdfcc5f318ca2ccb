package inspect

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// The frames of RFC 6455 §5.7, and a few that break rules.
var examples = []struct {
	name string
	hex  string
	from From
}{
	{"unmasked-hello", "81 05 48 65 6c 6c 6f", Server},
	{"masked-hello", "81 85 37 fa 21 3d 7f 9f 4d 51 58", Client},
	{"fragmented-hel-lo", "01 03 48 65 6c 80 02 6c 6f", Server},
	{"unmasked-ping", "89 05 48 65 6c 6c 6f", Server},
	{"masked-pong", "8a 85 37 fa 21 3d 7f 9f 4d 51 58", Client},
	{"binary-256-header", "82 7e 01 00", Server},
	{"binary-64k-header", "82 7f 00 00 00 00 00 01 00 00", Server},
	{"rsv1-set", "c1 85 37 fa 21 3d 7f 9f 4d 51 58", Client},
	{"unmasked-client-frame", "81 05 48 65 6c 6c 6f", Client},
	{"close-1002", "88 82 00 00 00 00 03 ea", Client},
}

func TestDrawMatchesTheGoldenFiles(t *testing.T) {
	for _, ex := range examples {
		t.Run(ex.name, func(t *testing.T) {
			data, err := ParseHex(ex.hex)
			require.NoError(t, err)
			var buf bytes.Buffer
			for _, f := range Decode(data, ex.from) {
				Draw(&buf, f, ex.from)
			}
			path := filepath.Join("testdata", ex.name+".golden")
			if *update {
				require.NoError(t, os.MkdirAll("testdata", 0o755))
				require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "run go test ./tools/wsframe/inspect -update")
			assert.Equal(t, string(want), buf.String())
		})
	}
}

func TestTheMaskedHelloOfTheRFC(t *testing.T) {
	data, _ := ParseHex("81 85 37 fa 21 3d 7f 9f 4d 51 58")
	fs := Decode(data, Client)
	require.Len(t, fs, 1)
	f := fs[0]
	assert.True(t, f.Fin)
	assert.Equal(t, byte(0x1), f.Opcode)
	assert.True(t, f.Masked)
	assert.Equal(t, uint64(5), f.Length)
	assert.Equal(t, 7, f.LengthForm)
	assert.Equal(t, [4]byte{0x37, 0xfa, 0x21, 0x3d}, f.Key)
	assert.Equal(t, "Hello", string(f.Unmasked), "RFC 6455 §5.7: this frame carries the text \"Hello\"")
	assert.Empty(t, f.Problems, "the RFC's own example breaks no rule")

	var buf bytes.Buffer
	Draw(&buf, f, Client)
	for _, want := range []string{"text", "MASK            1", "5 (7-bit form)", "37 fa 21 3d", `"Hello"`} {
		assert.Contains(t, buf.String(), want)
	}
}

func TestEveryBrokenRuleIsFlagged(t *testing.T) {
	cases := []struct {
		name string
		hex  string
		from From
		want string // a part of the problem's text; "" for none
	}{
		{"RSV1 without an extension", "c1 80 00 00 00 00", Client, "RSV1 is set"},
		{"RSV3 without an extension", "91 80 00 00 00 00", Client, "RSV3 is set"},
		{"a reserved opcode", "83 80 00 00 00 00", Client, "opcode 0x3 is reserved"},
		{"a fragmented ping", "09 80 00 00 00 00", Client, "must not be fragmented"},
		{"a ping of 126 bytes", "89 fe 00 7e 00 00 00 00" + strings.Repeat(" 00", 126), Client, "at most 125 bytes"},
		{"an unmasked client frame", "81 01 41", Client, "must be masked"},
		{"a masked server frame", "81 81 00 00 00 00 41", Server, "must not be masked"},
		{"a 64-bit length with the top bit set", "82 7f 80 00 00 00 00 00 00 00", Server, "most significant bit"},
		{"a 16-bit length under 126", "82 7e 00 05 01 02 03 04 05", Server, "not in its shortest form"},
		{"invalid UTF-8 text", "81 02 c0 af", Server, "not valid UTF-8"},
		{"a 1-byte close payload", "88 01 03", Server, "1 byte"},
		{"close code 1005 on the wire", "88 02 03 ed", Server, "status code 1005"},
		{"a close reason that is not UTF-8", "88 03 03 e8 ff", Server, "reason is not valid UTF-8"},
		{"a cut-short frame", "81 05 48 65", Server, "cut short"},
		{"text cut in the middle of a code point, with more fragments to come", "01 02 e2 82", Server, ""},
		{"the §5.7 unmasked ping", "89 05 48 65 6c 6c 6f", Server, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			data, err := ParseHex(tc.hex)
			require.NoError(t, err)
			fs := Decode(data, tc.from)
			require.Len(t, fs, 1)
			var all []string
			for _, p := range fs[0].Problems {
				all = append(all, p.String())
			}
			if tc.want == "" {
				assert.Empty(t, all, "this frame breaks no rule")
				return
			}
			assert.Contains(t, strings.Join(all, "\n"), tc.want)
			assert.Contains(t, strings.Join(all, "\n"), "RFC 6455 §", "every problem names its section")
		})
	}
}

func TestParseHexAcceptsCommonSpellings(t *testing.T) {
	for _, in := range [][]string{{"81 85 37"}, {"818537"}, {"0x81,0x85,0x37"}, {"81", "85", "37"}, {"81:85:37\n"}} {
		got, err := ParseHex(in...)
		require.NoError(t, err, "%q", in)
		assert.Equal(t, []byte{0x81, 0x85, 0x37}, got, "%q", in)
	}
	_, err := ParseHex("81 zz")
	assert.ErrorContains(t, err, `"zz"`, "a bad token is quoted in the error")
}

func TestStreamDecodesFramesWhateverTheReadSizes(t *testing.T) {
	data, _ := ParseHex("01 03 48 65 6c 89 00 80 02 6c 6f 82 7e 01 00" + strings.Repeat(" 61", 256))
	r := iotest.OneByteReader(bytes.NewReader(data))
	s := Stream{From: Server}
	var got []Frame
	buf := make([]byte, 8)
	for {
		n, err := r.Read(buf)
		got = append(got, s.Feed(buf[:n])...)
		if err == io.EOF {
			break
		}
	}
	require.Len(t, got, 4, "four frames, whole, however the bytes arrive")
	assert.Equal(t, "Hel", string(got[0].Unmasked))
	assert.Equal(t, byte(0x9), got[1].Opcode)
	assert.Equal(t, "lo", string(got[2].Unmasked))
	assert.Len(t, got[3].Unmasked, 256)
}

// echoOnce is a tiny server: it answers the handshake (the accept key is
// not checked by the proxy) and sends back one unmasked copy of the first
// frame's payload.
func echoOnce(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		_ = conn.SetDeadline(time.Now().Add(3 * time.Second))
		br := bufio.NewReader(conn)
		if _, err := readHead(br); err != nil {
			return
		}
		_, _ = io.WriteString(conn, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: x\r\n\r\n")
		hdr := make([]byte, 6)
		if _, err := io.ReadFull(br, hdr); err != nil {
			return
		}
		p := make([]byte, hdr[1]&0x7F)
		_, _ = io.ReadFull(br, p)
		for i := range p {
			p[i] ^= hdr[2+i%4]
		}
		_, _ = conn.Write(append([]byte{0x81, byte(len(p))}, p...))
		_, _ = io.Copy(io.Discard, br)
	}()
	return ln.Addr().String()
}

// proxyTo starts the proxy in front of target and connects to it, with a
// deadline. finish hangs up, waits until the proxy has logged both
// directions closing, stops it, and returns its log.
func proxyTo(t *testing.T, target string) (conn net.Conn, finish func() string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	done := make(chan error, 1)
	go func() { done <- serveProxy(ctx, ln, target, &out, false) }()

	conn, err = net.DialTimeout("tcp", ln.Addr().String(), 3*time.Second)
	require.NoError(t, err)
	_ = conn.SetDeadline(time.Now().Add(3 * time.Second))
	return conn, func() string {
		conn.Close()
		require.Eventually(t, func() bool { return strings.Count(out.String(), "connection closed") >= 2 }, 3*time.Second, 10*time.Millisecond)
		cancel()
		require.NoError(t, <-done)
		return out.String()
	}
}

func TestProxyPrintsEveryFrameInBothDirections(t *testing.T) {
	target := echoOnce(t)
	conn, finish := proxyTo(t, target)
	_, err := io.WriteString(conn, "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
	require.NoError(t, err)
	br := bufio.NewReader(conn)
	head, err := readHead(br)
	require.NoError(t, err, "the proxy passes the server's 101 back")
	assert.Contains(t, string(head), "101 Switching Protocols")
	masked, _ := ParseHex("81 85 37 fa 21 3d 7f 9f 4d 51 58")
	_, err = conn.Write(masked)
	require.NoError(t, err)
	echo := make([]byte, 7)
	_, err = io.ReadFull(br, echo)
	require.NoError(t, err, "the proxy passes the server's frame back unchanged")
	assert.Equal(t, "\x81\x05Hello", string(echo))
	log := finish()
	assert.Contains(t, log, "client → server  GET / HTTP/1.1")
	assert.Contains(t, log, "server → client  HTTP/1.1 101 Switching Protocols")
	assert.Regexp(t, `client → server  text +FIN,MASK +len=5 "Hello"`, log)
	assert.Regexp(t, `server → client  text +FIN +len=5 "Hello"`, log)
}

func TestProxyPassesAPlainHTTPAnswerThroughWithoutDecodingIt(t *testing.T) {
	// A server that answers GET / with a page, as the chat server does.
	page := "<!doctype html><title>chat</title>\n"
	srv, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })
	go func() {
		conn, err := srv.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		_ = conn.SetDeadline(time.Now().Add(3 * time.Second))
		if _, err := readHead(bufio.NewReader(conn)); err != nil {
			return
		}
		_, _ = fmt.Fprintf(conn, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", len(page), page)
	}()

	conn, finish := proxyTo(t, srv.Addr().String())
	_, err = io.WriteString(conn, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	require.NoError(t, err)
	got, err := io.ReadAll(conn)
	require.NoError(t, err, "the proxy passes the whole answer on, then the end of the connection")
	assert.True(t, strings.HasSuffix(string(got), page), "the page reaches the client unchanged: %q", got)
	log := finish()
	assert.Contains(t, log, "not a WebSocket upgrade", "the log says why no frames are shown")
	assert.NotContains(t, log, "RSV", "bytes after a 200 are HTML, not frames: nothing may be decoded (RFC 6455 §4.2.2)")
}

// syncBuffer is a bytes.Buffer safe for the proxy's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
