// Package encode is step 5 of the workshop: it writes WebSocket frames, the
// mirror image of step 4's reader.
//
// Read RFC 6455 §5.2 Base Framing Protocol
// (https://www.rfc-editor.org/rfc/rfc6455#section-5.2), the examples of §5.7
// (https://www.rfc-editor.org/rfc/rfc6455#section-5.7) and, for why a server
// never masks, §5.1 (https://www.rfc-editor.org/rfc/rfc6455#section-5.1).
// Chapter: docs/05-frame-encode.md. Check your work with: make step5
package encode

import (
	"io"

	frame "github.com/wsfromtcp/workshop/steps/04-frame-decode"
)

// AppendHeader appends h in wire form to b and returns the extended slice
// (RFC 6455 §5.2). The length takes its shortest form, as §5.2 requires: 7
// bits up to 125, 16 bits up to 65535, 64 bits above. The masking key
// follows when h.Masked.
func AppendHeader(b []byte, h frame.Header) []byte {
	// TODO(step 5): append the FIN/RSV/opcode byte, the MASK/length byte,
	// the extended length in network byte order if one is needed, and the
	// key if h.Masked. Step 4 names the bits and marks: frame.FinBit,
	// frame.MaskBit, frame.MaxLen7, frame.Len16Mark and the others.
	panic("TODO(step 5): write AppendHeader")
}

// WriteFrame writes one unmasked frame, as a server sends them (RFC 6455
// §5.1: "A server MUST NOT mask any frames that it sends to the client"),
// with header and payload in a single Write call.
func WriteFrame(w io.Writer, fin bool, op frame.Opcode, payload []byte) error {
	// TODO(step 5): build the whole frame, header then payload, in one
	// buffer and hand it to w in a single Write. Return w's error.
	panic("TODO(step 5): write WriteFrame")
}
