// Package encode is step 5 of the workshop: it writes WebSocket frames, the
// mirror image of step 4's reader.
//
// Read RFC 6455 §5.2 Base Framing Protocol
// (https://www.rfc-editor.org/rfc/rfc6455#section-5.2), the examples of §5.7
// (https://www.rfc-editor.org/rfc/rfc6455#section-5.7) and, for why a server
// never masks, §5.1 (https://www.rfc-editor.org/rfc/rfc6455#section-5.1).
// Chapter: docs/05-frame-encode.md.
package encode

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"

	frame "github.com/wsfromtcp/workshop/solutions/04-frame-decode"
)

// maxHeader is the longest header: 2 bytes, a 64-bit length, a key.
const maxHeader = 2 + 8 + 4

// AppendHeader appends h in wire form to b and returns the extended slice
// (RFC 6455 §5.2). The length takes its shortest form, as §5.2 requires: 7
// bits up to 125, 16 bits up to 65535, 64 bits above. The masking key
// follows when h.Masked.
func AppendHeader(b []byte, h frame.Header) []byte {
	b0 := byte(h.Opcode & frame.OpcodeBits)
	if h.Fin {
		b0 |= frame.FinBit
	}
	if h.Rsv1 {
		b0 |= frame.Rsv1Bit
	}
	if h.Rsv2 {
		b0 |= frame.Rsv2Bit
	}
	if h.Rsv3 {
		b0 |= frame.Rsv3Bit
	}
	var b1 byte
	if h.Masked {
		b1 = frame.MaskBit
	}
	// "the minimal number of bytes MUST be used to encode the length"
	// (RFC 6455 §5.2), so the value alone picks the form.
	// RFC 6455 §5.2 (R-5.2-5): the shortest length form.
	switch {
	case h.Length <= frame.MaxLen7:
		b = append(b, b0, b1|byte(h.Length))
	case h.Length <= math.MaxUint16:
		b = append(b, b0, b1|frame.Len16Mark)
		b = binary.BigEndian.AppendUint16(b, uint16(h.Length))
	default:
		// A slice is never longer than 2^63-1, so the top bit that §5.2
		// requires to be 0 is 0 for every real payload.
		// RFC 6455 §5.2 (R-5.2-4): the 64-bit length has its top bit clear.
		b = append(b, b0, b1|frame.Len64Mark)
		b = binary.BigEndian.AppendUint64(b, h.Length)
	}
	if h.Masked {
		b = append(b, h.Key[:]...)
	}
	return b
}

// WriteFrame writes one unmasked frame, as a server sends them (RFC 6455
// §5.1: "A server MUST NOT mask any frames that it sends to the client"),
// with header and payload in a single Write call.
func WriteFrame(w io.Writer, fin bool, op frame.Opcode, payload []byte) error {
	// One buffer, one Write. A net.Conn never interleaves two Write calls,
	// so frames written by two goroutines cannot mix on the wire; and the
	// header does not leave in a tiny TCP segment of its own.
	// RFC 6455 §6.1 (R-6.1-6): the frame goes out in one write.
	buf := make([]byte, 0, maxHeader+len(payload))
	// RFC 6455 §5.1, §5.2, §6.1 (R-5.1-3, R-5.2-1, R-6.1-3): a frame, never masked, RSV bits 0.
	buf = AppendHeader(buf, frame.Header{Fin: fin, Opcode: op, Length: uint64(len(payload))})
	buf = append(buf, payload...)
	if _, err := w.Write(buf); err != nil {
		return fmt.Errorf("encode: writing %s frame: %w", op, err)
	}
	return nil
}
