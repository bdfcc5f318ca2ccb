package inspect

import (
	"encoding/binary"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// cell is one field of the header diagram: its width in bits and the
// lines written inside it.
type cell struct {
	bits  int
	lines []string
	bytes []byte // when set, the value is these bytes, split across rows with the field
	name  string // with bytes: the field's name
}

// cells lays the frame's header out as the fields of RFC 6455 §5.2.
func cells(f Frame) []cell {
	bit := func(name string, v bool) cell {
		lines := strings.Split(name, "")
		for len(lines) < 4 {
			lines = append(lines, " ")
		}
		return cell{bits: 1, lines: append(lines, b01(v))}
	}
	cs := []cell{
		bit("FIN", f.Fin), bit("RSV1", f.Rsv1), bit("RSV2", f.Rsv2), bit("RSV3", f.Rsv3),
		{bits: 4, lines: []string{"opcode", fmt.Sprintf("%#x", f.Opcode), short(OpcodeName(f.Opcode)), "", ""}},
		bit("MASK", f.Masked),
	}
	raw := f.Raw
	if len(raw) < 2 {
		return cs
	}
	len7 := int(raw[1] & 0x7F)
	cs = append(cs, cell{bits: 7, lines: []string{"Payload len", strconv.Itoa(len7), lenNote(f.LengthForm), "", ""}})
	switch f.LengthForm {
	case 16:
		cs = append(cs, cell{bits: 16, lines: []string{"Extended payload length", "(16-bit)", fmt.Sprint(f.Length), "", ""}})
	case 64:
		cs = append(cs, cell{bits: 64, lines: []string{"Extended payload length", "(64-bit)", fmt.Sprint(f.Length), "", ""}})
	}
	if f.Masked {
		cs = append(cs, cell{bits: 32, name: "Masking-key", bytes: f.Key[:]})
	}
	if len(f.Payload) > 0 {
		// The payload fills the rest of the row, and one more row at most:
		// the table under the figure shows it all.
		used := 16 + map[int]int{7: 0, 16: 16, 64: 64}[f.LengthForm]
		if f.Masked {
			used += 32
		}
		room := (32-used%32)%32 + 32
		p := f.Payload[:min(len(f.Payload), room/8)]
		name := "Payload Data"
		if f.Masked {
			name += " (masked)"
		}
		cs = append(cs, cell{bits: 8 * len(p), name: name, bytes: p})
	}
	return cs
}

func short(name string) string {
	if strings.HasPrefix(name, "reserved") {
		return "reserved"
	}
	if name == "continuation" {
		return "cont."
	}
	return name
}

func lenNote(form int) string {
	switch form {
	case 16:
		return "→ 16-bit len"
	case 64:
		return "→ 64-bit len"
	}
	return "(7-bit)"
}

func b01(v bool) string {
	if v {
		return "1"
	}
	return "0"
}

func hexBytes(b []byte) string {
	parts := make([]string, len(b))
	for i, c := range b {
		parts[i] = fmt.Sprintf("%02x", c)
	}
	return strings.Join(parts, " ")
}

// piece is the part of a cell that falls in one 32-bit row.
type piece struct {
	bits  int
	lines []string
}

// rows cuts the cells into rows of 32 bits; a field that crosses a row
// boundary goes on in the next row, "(continued)", as in the RFC's figure.
func rows(cs []cell) [][]piece {
	var out [][]piece
	var row []piece
	used := 0
	for _, c := range cs {
		left, done := c.bits, 0
		for left > 0 {
			take := min(left, 32-used)
			lines := c.lines
			switch {
			case c.bytes != nil:
				part := c.bytes[done/8 : (done+take)/8]
				name := c.name
				if done > 0 {
					name += " (continued)"
				}
				lines = []string{name, hexBytes(part), "", "", ""}
			case done > 0:
				lines = []string{"(continued)", "", "", "", ""}
			}
			row = append(row, piece{take, lines})
			used += take
			left -= take
			done += take
			if used == 32 {
				out = append(out, row)
				row, used = nil, 0
			}
		}
	}
	if len(row) > 0 {
		out = append(out, row)
	}
	return out
}

// fit centres s in a cell of w characters, cutting it when it is too long.
func fit(s string, w int) string {
	n := utf8.RuneCountInString(s)
	if n > w {
		return string([]rune(s)[:w])
	}
	left := (w - n) / 2
	return strings.Repeat(" ", left) + s + strings.Repeat(" ", w-n-left)
}

// Draw writes the frame as the RFC 6455 §5.2 diagram, then its fields one
// per line, then the rules it breaks.
func Draw(w io.Writer, f Frame, from From) {
	fmt.Fprintln(w, " 0                   1                   2                   3")
	fmt.Fprintln(w, " 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1")
	border := func(row []piece) string {
		var b strings.Builder
		for _, p := range row {
			b.WriteString("+" + strings.Repeat("-", 2*p.bits-1))
		}
		return b.String() + "+"
	}
	rs := rows(cells(f))
	for _, row := range rs {
		fmt.Fprintln(w, border(row))
		height := 0
		for _, p := range row {
			for i, l := range p.lines {
				if strings.TrimSpace(l) != "" {
					height = max(height, i+1)
				}
			}
		}
		for i := range height {
			var b strings.Builder
			for _, p := range row {
				l := ""
				if i < len(p.lines) {
					l = p.lines[i]
				}
				b.WriteString("|" + fit(l, 2*p.bits-1))
			}
			fmt.Fprintln(w, b.String()+"|")
		}
	}
	if len(rs) > 0 {
		fmt.Fprintln(w, border(rs[len(rs)-1]))
	}
	fields(w, f, from)
}

// fields writes the frame's values as a table.
func fields(w io.Writer, f Frame, from From) {
	row := func(name, value string) { fmt.Fprintf(w, "  %-15s %s\n", name, value) }
	fin := "0 (more fragments follow)"
	if f.Fin {
		fin = "1 (final fragment)"
	}
	row("FIN", fin)
	row("RSV1 RSV2 RSV3", b01(f.Rsv1)+" "+b01(f.Rsv2)+" "+b01(f.Rsv3))
	row("opcode", fmt.Sprintf("%#x %s", f.Opcode, OpcodeName(f.Opcode)))
	mask := "0 (not masked)"
	if f.Masked {
		mask = "1 (masked)"
	}
	row("MASK", mask)
	if len(f.Raw) >= 2 {
		row("payload length", fmt.Sprintf("%d (%d-bit form)", f.Length, f.LengthForm))
	}
	if f.Masked {
		row("masking key", hexBytes(f.Key[:]))
	}
	if f.Masked {
		row("payload masked", preview(f.Payload))
	}
	if len(f.Raw) >= 2 {
		row("payload", preview(f.Unmasked))
	}
	switch {
	case f.Opcode == 0x1 && utf8.Valid(f.Unmasked) && f.Missing == 0:
		row("text", strconv.Quote(string(f.Unmasked)))
	case f.Opcode == 0x8 && len(f.Unmasked) >= 2:
		row("status", fmt.Sprint(binary.BigEndian.Uint16(f.Unmasked), " ", closeName(binary.BigEndian.Uint16(f.Unmasked))))
		row("reason", strconv.Quote(string(f.Unmasked[2:])))
	}
	row("from", from.String())
	if len(f.Problems) == 0 {
		fmt.Fprintln(w, "  ✓ breaks no rule of RFC 6455")
		return
	}
	for _, p := range f.Problems {
		fmt.Fprintf(w, "  ✗ %s\n", p)
	}
}

// preview shows up to 32 bytes of a payload in hex.
func preview(b []byte) string {
	if len(b) == 0 {
		return "(empty)"
	}
	if len(b) <= 32 {
		return hexBytes(b)
	}
	return fmt.Sprintf("%s … (%d bytes)", hexBytes(b[:32]), len(b))
}

func closeName(code uint16) string {
	names := map[uint16]string{1000: "normal closure", 1001: "going away", 1002: "protocol error", 1003: "unsupported data",
		1005: "no status received", 1006: "abnormal closure", 1007: "invalid payload data", 1008: "policy violation",
		1009: "message too big", 1010: "mandatory extension", 1011: "internal error", 1015: "TLS handshake"}
	if n, ok := names[code]; ok {
		return "(" + n + ")"
	}
	return ""
}

// Line is a frame in one line, for the proxy's log.
func Line(f Frame) string {
	var flags []string
	if f.Fin {
		flags = append(flags, "FIN")
	}
	if f.Masked {
		flags = append(flags, "MASK")
	}
	for i, set := range []bool{f.Rsv1, f.Rsv2, f.Rsv3} {
		if set {
			flags = append(flags, fmt.Sprint("RSV", i+1))
		}
	}
	s := fmt.Sprintf("%-12s %-9s len=%d", OpcodeName(f.Opcode), strings.Join(flags, ","), f.Length)
	switch {
	case f.Opcode == 0x1 && utf8.Valid(f.Unmasked):
		s += " " + strconv.Quote(truncate(string(f.Unmasked), 60))
	case f.Opcode == 0x8 && len(f.Unmasked) >= 2:
		code := binary.BigEndian.Uint16(f.Unmasked)
		s += fmt.Sprintf(" status=%d %s %q", code, closeName(code), string(f.Unmasked[2:]))
	case len(f.Unmasked) > 0:
		s += " " + preview(f.Unmasked[:min(len(f.Unmasked), 16)])
	}
	for _, p := range f.Problems {
		s += "\n      ✗ " + p.String()
	}
	return s
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
