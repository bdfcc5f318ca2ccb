// Package frame is step 4 of the workshop: it reads WebSocket frames, the
// unit in which both sides send everything once the handshake is done.
//
// Read RFC 6455 §5.2 Base Framing Protocol
// (https://www.rfc-editor.org/rfc/rfc6455#section-5.2) and the examples of
// §5.7 (https://www.rfc-editor.org/rfc/rfc6455#section-5.7).
// Chapter: docs/04-frame-decode.md.
package frame

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
)

// ReadHeader reads a frame header: two bytes, then the extended payload
// length if there is one, then the masking key if the frame is masked (RFC
// 6455 §5.2). It fails with io.EOF when no byte at all could be read (the
// peer is gone between frames), with io.ErrUnexpectedEOF when the header is
// cut short, and with an error wrapping ErrLengthTopBit or
// ErrNonMinimalLength when the length breaks the rules of §5.2.
func ReadHeader(br *bufio.Reader) (Header, error) {
	var h Header
	b0, err := br.ReadByte()
	if err == io.EOF {
		// A clean end between frames: io.EOF itself, unwrapped, as
		// io.Reader's callers expect.
		return h, io.EOF
	}
	if err != nil {
		return h, fmt.Errorf("frame: reading header: %w", err)
	}
	b1, err := br.ReadByte()
	if err != nil {
		return h, cutShort("header", err)
	}
	h.Fin = b0&FinBit != 0
	h.Rsv1 = b0&Rsv1Bit != 0
	h.Rsv2 = b0&Rsv2Bit != 0
	h.Rsv3 = b0&Rsv3Bit != 0
	h.Opcode = Opcode(b0 & OpcodeBits)
	h.Masked = b1&MaskBit != 0

	// buf is big enough for the longest extended length. It escapes to
	// the heap all the same (go build -gcflags=-m says so): io.ReadFull
	// hands it to an io.Reader, which the compiler cannot see through.
	// Step 12 reads a header without allocating (docs/12-performance.md).
	var buf [8]byte
	switch n := b1 & Len7Bits; n {
	case Len16Mark:
		if _, err := io.ReadFull(br, buf[:2]); err != nil {
			return h, cutShort("16-bit length", err)
		}
		h.Length = uint64(binary.BigEndian.Uint16(buf[:2]))
		// RFC 6455 §5.2 (R-5.2-5): a length in its shortest form only.
		if h.Length < Len16Mark {
			return h, fmt.Errorf("%w: %d in 16 bits, where 7 bits hold it", ErrNonMinimalLength, h.Length)
		}
	case Len64Mark:
		if _, err := io.ReadFull(br, buf[:8]); err != nil {
			return h, cutShort("64-bit length", err)
		}
		h.Length = binary.BigEndian.Uint64(buf[:8])
		// RFC 6455 §5.2 (R-5.2-4): the 64-bit length has its top bit clear.
		if h.Length > math.MaxInt64 {
			return h, fmt.Errorf("%w: %#x", ErrLengthTopBit, h.Length)
		}
		// RFC 6455 §5.2 (R-5.2-5): a length in its shortest form only.
		if h.Length <= math.MaxUint16 {
			return h, fmt.Errorf("%w: %d in 64 bits, where 16 bits or fewer hold it", ErrNonMinimalLength, h.Length)
		}
	default:
		h.Length = uint64(n)
	}

	if h.Masked {
		if _, err := io.ReadFull(br, h.Key[:]); err != nil {
			return h, cutShort("masking key", err)
		}
	}
	return h, nil
}

// ReadFrame reads a header and its payload. A Length above limit fails with
// an error wrapping ErrTooLarge before any payload is read or allocated (a
// peer must not make the server allocate 2^63 bytes), and below it memory
// follows the bytes that arrive (readPayload). A payload cut short fails
// with io.ErrUnexpectedEOF. The payload is returned as it was on the wire,
// still masked when the frame is, in a new slice that the caller owns: a
// later ReadFrame never writes into it.
func ReadFrame(br *bufio.Reader, limit uint64) (*Frame, error) {
	// RFC 6455 §6.2 (R-6.2-1): incoming data is parsed as frames.
	h, err := ReadHeader(br)
	if err != nil {
		return nil, err
	}
	// The length is the peer's claim, not a fact: refuse it before reading
	// a byte of payload (RFC 6455 §10.4). A slice cannot be longer than
	// MaxInt either, whatever limit the caller chose.
	// RFC 6455 §10.4 (R-10.4-1, R-10.4-2): a frame over the limit is refused before it is read.
	if h.Length > limit || h.Length > math.MaxInt {
		return nil, fmt.Errorf("%w: %s frame of %d bytes, limit %d", ErrTooLarge, h.Opcode, h.Length, limit)
	}
	payload, err := readPayload(br, h.Length)
	if err != nil {
		return nil, cutShort("payload", err)
	}
	return &Frame{Header: h, Payload: payload}, nil
}

// payloadChunk is the most ReadFrame allocates for bytes that have not
// arrived. Even under the limit, a length is a claim: a payload longer than
// this grows as it comes, doubling, so a header announcing 16 MiB followed
// by silence costs 64 KiB, not 16 MiB (RFC 6455 §10.4), and copying costs at
// most twice the payload.
const payloadChunk = 64 << 10

// readPayload reads n bytes from r into a new slice.
func readPayload(r io.Reader, n uint64) ([]byte, error) {
	p := make([]byte, 0, min(n, payloadChunk))
	for uint64(len(p)) < n {
		if len(p) == cap(p) {
			p = slices.Grow(p, int(min(n-uint64(len(p)), uint64(cap(p)))))
		}
		k, err := io.ReadFull(r, p[len(p):int(min(n, uint64(cap(p))))])
		p = p[:len(p)+k]
		if err != nil {
			return nil, err
		}
	}
	return p, nil
}

// cutShort reports a read that failed after the frame had begun. Running
// out of input there is never a clean end, so io.EOF becomes
// io.ErrUnexpectedEOF.
func cutShort(what string, err error) error {
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("frame: reading %s: %w", what, err)
}
