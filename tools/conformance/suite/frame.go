package suite

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"
)

// Opcodes and close codes, spelled out here so that the suite depends on
// nothing it judges (RFC 6455 §5.2, §7.4.1).
const (
	opCont   = 0x0
	opText   = 0x1
	opBinary = 0x2
	opClose  = 0x8
	opPing   = 0x9
	opPong   = 0xA
)

// frame is a frame as the client writes it or reads it.
type frame struct {
	fin     bool
	rsv     byte // the three RSV bits, in place (0x70 for all)
	op      byte
	masked  bool
	payload []byte
}

// encode writes a client frame: masked with a fresh random key, as RFC 6455
// §5.3 requires, unless the case wants an unmasked one.
func (f frame) encode() []byte {
	b0 := f.op | f.rsv
	if f.fin {
		b0 |= 0x80
	}
	var mask byte
	if f.masked {
		mask = 0x80
	}
	n := len(f.payload)
	out := []byte{b0}
	switch {
	case n <= 125:
		out = append(out, mask|byte(n))
	case n <= 0xFFFF:
		out = append(out, mask|126)
		out = binary.BigEndian.AppendUint16(out, uint16(n))
	default:
		out = append(out, mask|127)
		out = binary.BigEndian.AppendUint64(out, uint64(n))
	}
	if !f.masked {
		return append(out, f.payload...)
	}
	var key [4]byte
	_, _ = rand.Read(key[:])
	out = append(out, key[:]...)
	for i, b := range f.payload {
		out = append(out, b^key[i%4])
	}
	return out
}

func (c *client) send(frames ...frame) error {
	var all []byte
	for _, f := range frames {
		all = append(all, f.encode()...)
	}
	_, err := c.conn.Write(all)
	if err != nil {
		return fmt.Errorf("the server stopped reading: %w", err)
	}
	return nil
}

// sendChunked writes bytes in pieces of the given sizes, pausing between
// them, so that a frame arrives over several TCP reads.
func (c *client) sendChunked(data []byte, sizes func(i int) int, pause time.Duration) error {
	for i := 0; len(data) > 0; i++ {
		n := min(max(sizes(i), 1), len(data))
		if _, err := c.conn.Write(data[:n]); err != nil {
			return fmt.Errorf("the server stopped reading: %w", err)
		}
		data = data[n:]
		time.Sleep(pause)
	}
	return nil
}

// read reads one frame from the server.
func (c *client) read(what string) (frame, error) {
	var f frame
	var hdr [2]byte
	if _, err := io.ReadFull(c.br, hdr[:]); err != nil {
		return f, c.silence(what, err)
	}
	f.fin, f.rsv, f.op = hdr[0]&0x80 != 0, hdr[0]&0x70, hdr[0]&0x0F
	f.masked = hdr[1]&0x80 != 0
	n := uint64(hdr[1] & 0x7F)
	switch n {
	case 126:
		var b [2]byte
		if _, err := io.ReadFull(c.br, b[:]); err != nil {
			return f, c.silence(what, err)
		}
		n = uint64(binary.BigEndian.Uint16(b[:]))
	case 127:
		var b [8]byte
		if _, err := io.ReadFull(c.br, b[:]); err != nil {
			return f, c.silence(what, err)
		}
		n = binary.BigEndian.Uint64(b[:])
	}
	if f.masked {
		return f, errors.New("the server sent a masked frame: RFC 6455 §5.1 says a server MUST NOT mask frames it sends")
	}
	if n > 64<<20 {
		return f, fmt.Errorf("the server sent a frame claiming %d bytes", n)
	}
	f.payload = make([]byte, n)
	if _, err := io.ReadFull(c.br, f.payload); err != nil {
		return f, c.silence(what, err)
	}
	return f, nil
}
