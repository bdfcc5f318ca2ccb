// Package inspect decodes WebSocket frames for people: it reads the fields
// of RFC 6455 §5.2 (https://www.rfc-editor.org/rfc/rfc6455#section-5.2),
// draws them as the RFC's diagram with the values filled in, and names
// every rule a frame breaks. It is the library behind the wsframe command.
//
// It is written independently of the workshop's steps: a tool that judges
// frames must not share the bugs of the code it judges.
package inspect

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode/utf8"
)

// From says who sent a frame, which decides the masking rule (RFC 6455 §5.1).
type From int

// The two sides of a connection.
const (
	Client From = iota
	Server
)

func (f From) String() string {
	if f == Server {
		return "server"
	}
	return "client"
}

// Frame is one decoded frame, possibly cut short.
type Frame struct {
	Fin              bool
	Rsv1, Rsv2, Rsv3 bool
	Opcode           byte
	Masked           bool
	LengthForm       int    // 7, 16 or 64: how the length was written
	Length           uint64 // the payload length the header claims
	Key              [4]byte
	Raw              []byte // every byte of the frame that was there
	Payload          []byte // as on the wire (masked when Masked)
	Unmasked         []byte // the payload after unmasking
	Missing          uint64 // bytes the frame still lacks; 0 when complete
	Problems         []Problem
}

// Problem is a rule of RFC 6455 that a frame breaks.
type Problem struct {
	Section string // "5.2"
	Text    string
}

func (p Problem) String() string { return fmt.Sprintf("%s (RFC 6455 §%s)", p.Text, p.Section) }

// OpcodeName names an opcode as RFC 6455 §5.2 and §11.8 do.
func OpcodeName(op byte) string {
	switch op {
	case 0x0:
		return "continuation"
	case 0x1:
		return "text"
	case 0x2:
		return "binary"
	case 0x8:
		return "close"
	case 0x9:
		return "ping"
	case 0xA:
		return "pong"
	}
	if op < 0x8 {
		return "reserved non-control"
	}
	return "reserved control"
}

// Decode reads every frame in data, in order. The last frame may be cut
// short; its Missing says by how much.
func Decode(data []byte, from From) []Frame {
	var frames []Frame
	for len(data) > 0 {
		f, n := decodeOne(data)
		f.Problems = check(f, from)
		frames = append(frames, f)
		data = data[n:]
	}
	return frames
}

// headerLen is the length of the header that data begins with, or 0 when
// not even the header is complete.
func headerLen(data []byte) int {
	if len(data) < 2 {
		return 0
	}
	n := 2
	switch data[1] & 0x7F {
	case 126:
		n += 2
	case 127:
		n += 8
	}
	if data[1]&0x80 != 0 {
		n += 4
	}
	if len(data) < n {
		return 0
	}
	return n
}

// decodeOne decodes the frame at the start of data and says how many bytes
// it used (all of data when the frame is cut short).
func decodeOne(data []byte) (Frame, int) {
	var f Frame
	b0 := data[0]
	f.Fin, f.Rsv1, f.Rsv2, f.Rsv3 = b0&0x80 != 0, b0&0x40 != 0, b0&0x20 != 0, b0&0x10 != 0
	f.Opcode = b0 & 0x0F
	hl := headerLen(data)
	if hl == 0 {
		// Say what is there, and count what the header still lacks.
		f.Raw = data
		need := 2
		if len(data) >= 2 {
			f.Masked = data[1]&0x80 != 0
			need = headerLenOf(data[1])
			f.LengthForm = lengthForm(data[1])
		}
		f.Missing = uint64(need - len(data))
		return f, len(data)
	}
	f.Masked = data[1]&0x80 != 0
	f.LengthForm = lengthForm(data[1])
	switch f.LengthForm {
	case 7:
		f.Length = uint64(data[1] & 0x7F)
	case 16:
		f.Length = uint64(binary.BigEndian.Uint16(data[2:4]))
	case 64:
		f.Length = binary.BigEndian.Uint64(data[2:10])
	}
	if f.Masked {
		copy(f.Key[:], data[hl-4:hl])
	}
	end := uint64(len(data))
	if f.Length <= end-uint64(hl) {
		end = uint64(hl) + f.Length
	} else {
		f.Missing = f.Length - (end - uint64(hl))
	}
	f.Raw = data[:end]
	f.Payload = data[hl:end]
	f.Unmasked = make([]byte, len(f.Payload))
	for i, b := range f.Payload {
		if f.Masked {
			b ^= f.Key[i%4]
		}
		f.Unmasked[i] = b
	}
	return f, int(end)
}

func lengthForm(b1 byte) int {
	switch b1 & 0x7F {
	case 126:
		return 16
	case 127:
		return 64
	}
	return 7
}

func headerLenOf(b1 byte) int {
	n := 2 + map[int]int{7: 0, 16: 2, 64: 8}[lengthForm(b1)]
	if b1&0x80 != 0 {
		n += 4
	}
	return n
}

// check lists the rules the frame breaks.
func check(f Frame, from From) []Problem {
	var ps []Problem
	add := func(section, format string, args ...any) {
		ps = append(ps, Problem{Section: section, Text: fmt.Sprintf(format, args...)})
	}
	for i, set := range []bool{f.Rsv1, f.Rsv2, f.Rsv3} {
		if set {
			add("5.2", "RSV%d is set, but no extension was negotiated to give it a meaning", i+1)
		}
	}
	control := f.Opcode&0x8 != 0
	if strings.HasPrefix(OpcodeName(f.Opcode), "reserved") {
		add("5.2", "opcode %#x is reserved", f.Opcode)
	}
	if control && !f.Fin {
		add("5.5", "a control frame (%s) must not be fragmented: FIN must be 1", OpcodeName(f.Opcode))
	}
	if control && f.Length > 125 {
		add("5.5", "a control frame (%s) carries at most 125 bytes, this one %d", OpcodeName(f.Opcode), f.Length)
	}
	if from == Client && !f.Masked && len(f.Raw) >= 2 {
		add("5.1", "a frame from a client must be masked; the server must fail the connection with 1002")
	}
	if from == Server && f.Masked {
		add("5.1", "a frame from a server must not be masked")
	}
	if f.LengthForm == 64 && f.Length>>63 != 0 {
		add("5.2", "the 64-bit length has its most significant bit set")
	}
	if (f.LengthForm == 16 && f.Length < 126) || (f.LengthForm == 64 && f.Length <= 0xFFFF && len(f.Raw) >= 10) {
		add("5.2", "the length %d is not in its shortest form (%d-bit form used)", f.Length, f.LengthForm)
	}
	if f.Missing > 0 {
		add("5.2", "the frame is cut short: %d more bytes are needed to complete it", f.Missing)
		return ps
	}
	switch f.Opcode {
	case 0x1:
		text := f.Unmasked
		if !f.Fin {
			text = trimIncomplete(text) // the next fragment may finish the last code point
		}
		if !utf8.Valid(text) {
			add("8.1", "the text is not valid UTF-8")
		}
	case 0x8:
		switch {
		case len(f.Unmasked) == 1:
			add("5.5.1", "a close payload of 1 byte: the status code takes 2")
		case len(f.Unmasked) >= 2:
			code := binary.BigEndian.Uint16(f.Unmasked)
			if !validCloseCode(code) {
				add("7.4", "status code %d may not be sent in a close frame", code)
			}
			if !utf8.Valid(f.Unmasked[2:]) {
				add("5.5.1", "the close reason is not valid UTF-8")
			}
		}
	}
	return ps
}

// trimIncomplete drops a code point cut at the end of b, if there is one.
func trimIncomplete(b []byte) []byte {
	for i := 1; i <= 3 && i <= len(b); i++ {
		c := b[len(b)-i]
		if c < 0x80 {
			return b
		}
		if c >= 0xC0 { // a lead byte: is its sequence complete?
			if !utf8.FullRune(b[len(b)-i:]) {
				return b[:len(b)-i]
			}
			return b
		}
	}
	return b
}

// validCloseCode follows RFC 6455 §7.4.1 and §7.4.2.
func validCloseCode(c uint16) bool {
	switch {
	case c >= 1000 && c <= 1003, c >= 1007 && c <= 1014:
		return true
	case c >= 3000 && c <= 4999:
		return true
	}
	return false
}

// ParseHex reads bytes written as hex in any common way: "81 85", "8185",
// "0x81,0x85", across several arguments.
func ParseHex(args ...string) ([]byte, error) {
	var out []byte
	fields := strings.FieldsFunc(strings.Join(args, " "), func(r rune) bool {
		return r == ' ' || r == ',' || r == '\n' || r == '\t' || r == ':' || r == '\r'
	})
	for _, tok := range fields {
		t := strings.TrimPrefix(strings.TrimPrefix(tok, "0x"), "0X")
		if len(t)%2 == 1 {
			t = "0" + t
		}
		b, err := hex.DecodeString(t)
		if err != nil || t == "" {
			return nil, fmt.Errorf("inspect: %q is not hex bytes", tok)
		}
		out = append(out, b...)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("inspect: no bytes given")
	}
	return out, nil
}
