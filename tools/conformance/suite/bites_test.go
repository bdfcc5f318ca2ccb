package suite

import (
	"bufio"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// naive is a deliberately careless echo server: it answers every upgrade
// with 101, echoes each data frame as it comes without any validation, and
// behaves as its flags say on pings and closes.
type naive struct {
	pong       bool // answer pings
	closeReply bool // answer a close frame with close 1000 before hanging up
}

func (n naive) start(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer conn.Close()
				_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
				n.serve(conn)
			}()
		}
	}()
	return ln.Addr().String()
}

func (n naive) serve(conn net.Conn) {
	br := bufio.NewReader(conn)
	key := ""
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return
		}
		if name, value, ok := strings.Cut(line, ":"); ok && strings.EqualFold(name, "Sec-WebSocket-Key") {
			key = strings.TrimSpace(value)
		}
		if line == "\r\n" {
			break
		}
	}
	sum := sha1.Sum([]byte(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	_, _ = io.WriteString(conn, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "+
		base64.StdEncoding.EncodeToString(sum[:])+"\r\n\r\n")
	for {
		var h [2]byte
		if _, err := io.ReadFull(br, h[:]); err != nil {
			return
		}
		op, size := h[0]&0x0F, int(h[1]&0x7F)
		switch size {
		case 126:
			var b [2]byte
			_, _ = io.ReadFull(br, b[:])
			size = int(binary.BigEndian.Uint16(b[:]))
		case 127:
			var b [8]byte
			_, _ = io.ReadFull(br, b[:])
			size = int(binary.BigEndian.Uint64(b[:]))
		}
		var key [4]byte
		if h[1]&0x80 != 0 {
			_, _ = io.ReadFull(br, key[:])
		}
		p := make([]byte, size)
		if _, err := io.ReadFull(br, p); err != nil {
			return
		}
		for i := range p {
			p[i] ^= key[i%4]
		}
		switch {
		case op == opPing && n.pong:
			_, _ = conn.Write(frame{fin: true, op: opPong, payload: p}.encode())
		case op == opPing:
		case op == opClose:
			if n.closeReply {
				_, _ = conn.Write(frame{fin: true, op: opClose, payload: []byte{0x03, 0xe8}}.encode())
			}
			return
		case op == opPong:
		default:
			_, _ = conn.Write(frame{fin: true, op: op, payload: p}.encode())
		}
	}
}

func run(t *testing.T, addr string, ids ...string) map[string]Result {
	t.Helper()
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	got := map[string]Result{}
	for _, r := range Run(addr, func(c Case) bool { return want[c.ID] }) {
		got[r.ID] = r
	}
	require.Len(t, got, len(ids), "every case asked for must exist")
	return got
}

func TestTheSuiteCatchesAServerThatDoesNotValidate(t *testing.T) {
	addr := naive{pong: true, closeReply: true}.start(t)
	got := run(t, addr, "2.3", "4.1", "5.1", "7.5", "9.1", "1.2", "6.5")
	assert.True(t, got["2.3"].Passed(), "a plain echo of 125 bytes is right even for a careless server: %v", got["2.3"].Err)
	for _, id := range []string{"4.1", "5.1", "7.5", "9.1", "6.5"} {
		assert.False(t, got[id].Passed(), "case %s (%s) must fail against a server that echoes everything without checking", id, got[id].Name)
	}
	assert.ErrorContains(t, got["7.5"].Err, "where a close frame with status [1007] was expected",
		"the message must say what was expected instead of the echo")
	assert.ErrorContains(t, got["1.2"].Err, "status 101, want 400", "a server that upgrades anything fails the handshake cases")
}

func TestTheSuiteCatchesAServerThatIgnoresPings(t *testing.T) {
	addr := naive{pong: false, closeReply: true}.start(t)
	got := run(t, addr, "3.1", "6.3")
	for id, r := range got {
		assert.False(t, r.Passed(), "case %s must fail against a server that never answers a ping", id)
	}
	assert.ErrorContains(t, got["3.1"].Err, "sent nothing within", "silence must be reported as silence")
}

func TestTheSuiteCatchesAServerThatDropsTCPInsteadOfClosing(t *testing.T) {
	addr := naive{pong: true, closeReply: false}.start(t)
	got := run(t, addr, "8.1")
	assert.False(t, got["8.1"].Passed(), "a server that hangs up without a close frame fails: RFC 6455 §5.5.1 asks for a close frame back")
	assert.ErrorContains(t, got["8.1"].Err, "closed the TCP connection while a close frame")
}

func TestCaseIDsAreUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range Cases() {
		assert.False(t, seen[c.ID], "case ID %s is used twice", c.ID)
		seen[c.ID] = true
		assert.NotEmpty(t, c.Section, "case %s names its RFC section", c.ID)
	}
	assert.GreaterOrEqual(t, len(seen), 80)
}
