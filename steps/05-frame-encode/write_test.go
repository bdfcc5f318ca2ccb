package encode

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"math"
	"testing"

	frame "github.com/wsfromtcp/workshop/steps/04-frame-decode"
	"github.com/wsfromtcp/workshop/tools/wstest"
	"github.com/wsfromtcp/workshop/tools/wstest/assert"
	"github.com/wsfromtcp/workshop/tools/wstest/require"
)

// cat joins byte slices into a new one.
func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// head is at most the first 16 bytes of b, to print.
func head(b []byte) []byte { return b[:min(len(b), 16)] }

// key is the masking key of the masked examples of RFC 6455 §5.7.
var key = [4]byte{0x37, 0xfa, 0x21, 0x3d}

func TestWriteFrameProducesTheRFCExamples(t *testing.T) {
	// Proves RFC 6455 R-6.1-3, R-5.2-1 (docs/rfc6455.md).
	cases := []struct {
		name    string
		fin     bool
		op      frame.Opcode
		payload []byte
		want    []byte
	}{
		{"a single-frame unmasked text message", true, frame.OpText, []byte("Hello"),
			[]byte{0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f}},
		{"the first fragment of a fragmented text message", false, frame.OpText, []byte("Hel"),
			[]byte{0x01, 0x03, 0x48, 0x65, 0x6c}},
		{"the last fragment of a fragmented text message", true, frame.OpContinuation, []byte("lo"),
			[]byte{0x80, 0x02, 0x6c, 0x6f}},
		{"an unmasked ping", true, frame.OpPing, []byte("Hello"),
			[]byte{0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f}},
		{"256 bytes of binary with a 16-bit length", true, frame.OpBinary, wstest.Pattern(256),
			cat([]byte{0x82, 0x7E, 0x01, 0x00}, wstest.Pattern(256))},
		{"64 KiB of binary with a 64-bit length", true, frame.OpBinary, wstest.Pattern(65536),
			cat([]byte{0x82, 0x7F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00}, wstest.Pattern(65536))},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := WriteFrame(&buf, tc.fin, tc.op, tc.payload)
			require.NoError(t, err, "writing to a bytes.Buffer cannot fail")
			got := buf.Bytes()
			assert.Equal(t, head(tc.want), head(got), "the frame must begin with these bytes, as in RFC 6455 §5.7: FIN (from the fin argument) and the opcode, then the length in its shortest form and in network byte order (big-endian: 01 00 is 256) with no MASK bit and no key (RFC 6455 §5.1: a server never masks), then the payload")
			assert.True(t, bytes.Equal(tc.want, got), "the whole frame must be exactly the %d bytes of RFC 6455 §5.7 (got %d)", len(tc.want), len(got))
		})
	}
}

func TestAppendHeaderWritesTheMaskingKey(t *testing.T) {
	cases := []struct {
		name string
		h    frame.Header
		want []byte
	}{
		{"the masked text message of RFC 6455 §5.7",
			frame.Header{Fin: true, Opcode: frame.OpText, Masked: true, Length: 5, Key: key},
			[]byte{0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d}},
		{"the masked pong of RFC 6455 §5.7",
			frame.Header{Fin: true, Opcode: frame.OpPong, Masked: true, Length: 5, Key: key},
			[]byte{0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d}},
		{"a masked 16-bit length, the key after it",
			frame.Header{Fin: true, Opcode: frame.OpBinary, Masked: true, Length: 256, Key: key},
			[]byte{0x82, 0xFE, 0x01, 0x00, 0x37, 0xfa, 0x21, 0x3d}},
		{"a masked 64-bit length, the key after it",
			frame.Header{Fin: true, Opcode: frame.OpBinary, Masked: true, Length: 65536, Key: key},
			[]byte{0x82, 0xFF, 0, 0, 0, 0, 0, 0x01, 0x00, 0x00, 0x37, 0xfa, 0x21, 0x3d}},
		{"an unmasked header has no key",
			frame.Header{Fin: true, Opcode: frame.OpText, Length: 5, Key: key},
			[]byte{0x81, 0x05}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := AppendHeader(nil, tc.h)
			assert.Equal(t, tc.want, got, "MASK is the top bit of the second byte, and the 4-byte key comes after the (extended) length, only when MASK is set (RFC 6455 §5.2)")
		})
	}
}

func TestAppendHeaderUsesTheShortestLengthForm(t *testing.T) {
	// Proves RFC 6455 R-5.2-5 (docs/rfc6455.md).
	cases := []struct {
		length uint64
		want   []byte
	}{
		{0, []byte{0x82, 0x00}},
		{1, []byte{0x82, 0x01}},
		{125, []byte{0x82, 0x7D}},
		{126, []byte{0x82, 0x7E, 0x00, 0x7E}},
		{127, []byte{0x82, 0x7E, 0x00, 0x7F}},
		{258, []byte{0x82, 0x7E, 0x01, 0x02}},
		{65535, []byte{0x82, 0x7E, 0xFF, 0xFF}},
		{65536, []byte{0x82, 0x7F, 0, 0, 0, 0, 0, 0x01, 0x00, 0x00}},
		{0x0102030405060708, []byte{0x82, 0x7F, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08}},
		{math.MaxInt64, []byte{0x82, 0x7F, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}},
	}
	for _, tc := range cases {
		got := AppendHeader(nil, frame.Header{Fin: true, Opcode: frame.OpBinary, Length: tc.length})
		assert.Equal(t, tc.want, got, "a length of %d: 0-125 fits in the 7 bits, up to 65535 takes 126 and 16 bits, more takes 127 and 64 bits, in network byte order; \"the minimal number of bytes MUST be used\" (RFC 6455 §5.2)", tc.length)
	}
}

func TestAppendHeaderPacksTheFlagsAndOpcodeIntoTheFirstByte(t *testing.T) {
	cases := []struct {
		name string
		h    frame.Header
		want byte
	}{
		{"nothing set, continuation", frame.Header{}, 0x00},
		{"FIN", frame.Header{Fin: true}, 0x80},
		{"RSV1", frame.Header{Rsv1: true}, 0x40},
		{"RSV2", frame.Header{Rsv2: true}, 0x20},
		{"RSV3", frame.Header{Rsv3: true}, 0x10},
		{"opcode close", frame.Header{Opcode: frame.OpClose}, 0x08},
		{"opcode 0xF", frame.Header{Opcode: 0xF}, 0x0F},
		{"everything", frame.Header{Fin: true, Rsv1: true, Rsv2: true, Rsv3: true, Opcode: frame.OpPong}, 0xFA},
	}
	for _, tc := range cases {
		got := AppendHeader(nil, tc.h)
		if assert.NotEmpty(t, got, "AppendHeader must append a header") {
			assert.Equal(t, fmt.Sprintf("%08b", tc.want), fmt.Sprintf("%08b", got[0]), "%s: the first byte is FIN 0x80, RSV1 0x40, RSV2 0x20, RSV3 0x10 and the opcode in the low four bits (RFC 6455 §5.2)", tc.name)
		}
	}
}

func TestAppendHeaderAppendsToWhatIsAlreadyThere(t *testing.T) {
	prefix := []byte("earlier bytes")
	b := make([]byte, len(prefix), 64)
	copy(b, prefix)
	got := AppendHeader(b, frame.Header{Fin: true, Opcode: frame.OpText, Length: 5})
	assert.Equal(t, cat(prefix, []byte{0x81, 0x05}), got, "AppendHeader appends to b and returns the extended slice, like append and strconv.AppendInt: what b held stays in front")
}

func TestAppendHeaderRoundTripsThroughReadFrameAtEveryBoundary(t *testing.T) {
	lengths := []int{0, 1, 124, 125, 126, 127, 128, 255, 256, 65534, 65535, 65536, 65537, 100000}
	headers := []frame.Header{
		{Fin: true, Opcode: frame.OpText},
		{Fin: false, Opcode: frame.OpBinary},
		{Fin: true, Opcode: frame.OpContinuation, Rsv1: true, Rsv3: true},
		{Fin: true, Opcode: frame.OpBinary, Masked: true, Key: key},
		{Opcode: frame.OpText, Rsv2: true, Masked: true, Key: [4]byte{0xff, 0x00, 0x80, 0x01}},
	}
	for _, n := range lengths {
		t.Run(fmt.Sprintf("%d bytes", n), func(t *testing.T) {
			payload := wstest.Pattern(n)
			for _, h := range headers {
				h.Length = uint64(n)
				wire := append(AppendHeader(nil, h), payload...)
				br := bufio.NewReader(bytes.NewReader(wire))
				f, err := frame.ReadFrame(br, 1<<20)
				if !assert.NoError(t, err, "step 4's ReadFrame must read back what AppendHeader wrote for %+v (header % x); ErrNonMinimalLength means the length was not in its shortest form (RFC 6455 §5.2)", h, head(wire)) {
					return // the other headers of this length would fail the same way
				}
				assert.Equal(t, h, f.Header, "the header must survive the round trip: AppendHeader and ReadHeader are mirror images (RFC 6455 §5.2)")
				assert.True(t, bytes.Equal(payload, f.Payload), "the %d-byte payload must follow the header directly", n)
				assert.Zero(t, br.Buffered(), "nothing may be left over after the frame")
			}
		})
	}
}

// countingWriter records each Write call.
type countingWriter struct {
	calls [][]byte
	err   error // returned by every Write when set
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.calls = append(w.calls, append([]byte(nil), p...))
	if w.err != nil {
		return 0, w.err
	}
	return len(p), nil
}

func TestWriteFrameMakesExactlyOneWriteCall(t *testing.T) {
	// Proves RFC 6455 R-6.1-6 (docs/rfc6455.md).
	for _, n := range []int{0, 5, 125, 126, 65535, 65536, 200000} {
		w := &countingWriter{}
		err := WriteFrame(w, true, frame.OpBinary, wstest.Pattern(n))
		require.NoError(t, err, "the writer does not fail")
		if !assert.Equal(t, 1, len(w.calls), "a frame with a %d-byte payload must go out in ONE Write call: a net.Conn never interleaves two Writes, so one call keeps another goroutine's frame from landing between this header and its payload, and the header does not travel in a TCP segment of its own", n) {
			return
		}
		h := AppendHeader(nil, frame.Header{Fin: true, Opcode: frame.OpBinary, Length: uint64(n)})
		assert.Equal(t, len(h)+n, len(w.calls[0]), "that Write carries the whole frame: %d header bytes and the %d-byte payload", len(h), n)
	}
}

func TestWriteFrameNeverSetsTheMaskBit(t *testing.T) {
	// Proves RFC 6455 R-5.1-3 (docs/rfc6455.md).
	for _, op := range []frame.Opcode{frame.OpText, frame.OpBinary, frame.OpContinuation, frame.OpClose, frame.OpPing, frame.OpPong} {
		for _, n := range []int{0, 5, 300, 70000} {
			var buf bytes.Buffer
			require.NoError(t, WriteFrame(&buf, true, op, wstest.Pattern(n)), "writing to a bytes.Buffer cannot fail")
			wire := buf.Bytes()
			require.GreaterOrEqual(t, len(wire), 2, "a frame has at least two header bytes")
			assert.Zero(t, wire[1]&0x80, "a %s frame of %d bytes has MASK set (% x): \"A server MUST NOT mask any frames that it sends to the client\" (RFC 6455 §5.1), and a client must close the connection if it gets one", op, n, head(wire))
			h := AppendHeader(nil, frame.Header{Fin: true, Opcode: op, Length: uint64(n)})
			assert.Equal(t, len(h)+n, len(wire), "an unmasked frame has no masking key: just the header and the payload")
		}
	}
}

func TestWriteFrameReturnsTheErrorOfTheWriter(t *testing.T) {
	broken := errors.New("connection reset by peer")
	w := &countingWriter{err: broken}
	err := WriteFrame(w, true, frame.OpText, []byte("Hello"))
	assert.ErrorIs(t, err, broken, "when the connection fails, WriteFrame must return its error, as it is or wrapped with %w (not %v) so that errors.Is finds it: the caller must learn that the connection is broken")
}
