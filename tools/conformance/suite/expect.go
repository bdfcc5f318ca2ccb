package suite

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"time"
)

// expectMessage reads one data message (the server may fragment it) and
// checks opcode and payload.
func (c *client) expectMessage(op byte, want []byte) error {
	var got []byte
	first := true
	for {
		f, err := c.read(fmt.Sprintf("the echo of a %d-byte message", len(want)))
		if err != nil {
			return err
		}
		switch {
		case f.op == opClose:
			code, reason := closeCode(f.payload)
			return fmt.Errorf("the server closed with %d %q instead of echoing the message", code, reason)
		case f.op >= opClose:
			continue // a control frame of the server's own: allowed between fragments
		case first && f.op != op:
			return fmt.Errorf("the echo has opcode %#x, want %#x", f.op, op)
		case !first && f.op != opCont:
			return fmt.Errorf("a fragmented echo continued with opcode %#x, want continuation (RFC 6455 §5.4)", f.op)
		}
		if f.rsv != 0 {
			return fmt.Errorf("the server set RSV bits %#x without an extension (RFC 6455 §5.2)", f.rsv)
		}
		first = false
		got = append(got, f.payload...)
		if f.fin {
			break
		}
	}
	if string(got) != string(want) {
		return fmt.Errorf("the echo differs: got %d bytes %s, want %d bytes %s", len(got), preview(got), len(want), preview(want))
	}
	return nil
}

// expectPong reads a pong and checks that it carries the ping's payload
// (RFC 6455 §5.5.3).
func (c *client) expectPong(want []byte) error {
	f, err := c.read("a pong")
	if err != nil {
		return err
	}
	if f.op != opPong {
		return fmt.Errorf("got a frame with opcode %#x where a pong was expected (RFC 6455 §5.5.2)", f.op)
	}
	if string(f.payload) != string(want) {
		return fmt.Errorf("the pong carries %s, want the ping's %s (RFC 6455 §5.5.3)", preview(f.payload), preview(want))
	}
	return nil
}

// expectClose reads until a close frame and checks its code, then checks
// that the server closes TCP. A server that drops TCP without a close
// frame fails: RFC 6455 §7.1.7 says to send the close frame first.
func (c *client) expectClose(codes ...int) error {
	for {
		f, err := c.read(fmt.Sprintf("a close frame with status %v", codes))
		if err != nil {
			return err
		}
		if f.op != opClose {
			if f.op == opPong || f.op == opPing {
				continue
			}
			return fmt.Errorf("got a frame with opcode %#x (%s) where a close frame with status %v was expected", f.op, preview(f.payload), codes)
		}
		code, reason := closeCode(f.payload)
		if len(f.payload) >= 2 && (code == 1005 || code == 1006 || code == 1015) {
			return fmt.Errorf("the server sent status %d in its close frame, which RFC 6455 §7.4.1 forbids: "+
				"it only tells an application what happened (an empty close answers an empty close)", code)
		}
		ok := false
		for _, want := range codes {
			ok = ok || code == want
		}
		if !ok {
			return fmt.Errorf("the server closed with status %d %q, want %v", code, reason, codes)
		}
		return c.expectTCPClose()
	}
}

// expectTCPClose checks that the server closes the connection after its
// close frame (RFC 6455 §7.1.1: the server closes the TCP connection first).
func (c *client) expectTCPClose() error {
	_ = c.conn.SetReadDeadline(time.Now().Add(Wait))
	n, err := c.br.Read(make([]byte, 1))
	if n > 0 {
		return errors.New("the server sent more bytes after its close frame (RFC 6455 §5.5.1)")
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return fmt.Errorf("the server sent its close frame but did not close the TCP connection within %v (RFC 6455 §7.1.1)", Wait)
	}
	return nil
}

// closeCode reads a close payload; 1005 stands for "no status" as in §7.1.5.
func closeCode(p []byte) (int, string) {
	if len(p) < 2 {
		return 1005, ""
	}
	return int(binary.BigEndian.Uint16(p)), string(p[2:])
}

func preview(b []byte) string {
	if len(b) <= 16 {
		return fmt.Sprintf("%q", b)
	}
	return fmt.Sprintf("%q…", b[:16])
}
