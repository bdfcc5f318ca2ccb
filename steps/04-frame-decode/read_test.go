package frame

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"testing"
	"testing/iotest"

	"github.com/wsfromtcp/workshop/tools/wstest"
	"github.com/wsfromtcp/workshop/tools/wstest/assert"
	"github.com/wsfromtcp/workshop/tools/wstest/require"
)

// noLimit is a limit that no test frame reaches.
const noLimit = 1 << 20

// key is the masking key of the masked examples of RFC 6455 §5.7.
var key = [4]byte{0x37, 0xfa, 0x21, 0x3d}

// reader reads the concatenation of frames.
func reader(frames ...[]byte) *bufio.Reader {
	return bufio.NewReader(bytes.NewReader(bytes.Join(frames, nil)))
}

// cat joins byte slices into a new one.
func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

type example struct {
	name string
	wire []byte
	want Frame
}

// rfcExamples are the frames of RFC 6455 §5.7, byte for byte.
func rfcExamples() []example {
	hello := []byte("Hello")
	maskedHello := []byte{0x7f, 0x9f, 0x4d, 0x51, 0x58} // "Hello" XOR key
	return []example{
		{
			name: "a single-frame unmasked text message",
			wire: []byte{0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f},
			want: Frame{Header{Fin: true, Opcode: OpText, Length: 5}, hello},
		},
		{
			name: "a single-frame masked text message, payload still masked",
			wire: []byte{0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58},
			want: Frame{Header{Fin: true, Opcode: OpText, Masked: true, Length: 5, Key: key}, maskedHello},
		},
		{
			name: "the first fragment of a fragmented text message",
			wire: []byte{0x01, 0x03, 0x48, 0x65, 0x6c},
			want: Frame{Header{Fin: false, Opcode: OpText, Length: 3}, []byte("Hel")},
		},
		{
			name: "the last fragment of a fragmented text message",
			wire: []byte{0x80, 0x02, 0x6c, 0x6f},
			want: Frame{Header{Fin: true, Opcode: OpContinuation, Length: 2}, []byte("lo")},
		},
		{
			name: "an unmasked ping",
			wire: []byte{0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f},
			want: Frame{Header{Fin: true, Opcode: OpPing, Length: 5}, hello},
		},
		{
			name: "a masked pong",
			wire: []byte{0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58},
			want: Frame{Header{Fin: true, Opcode: OpPong, Masked: true, Length: 5, Key: key}, maskedHello},
		},
		{
			name: "256 bytes of binary with a 16-bit length",
			wire: cat([]byte{0x82, 0x7E, 0x01, 0x00}, wstest.Pattern(256)),
			want: Frame{Header{Fin: true, Opcode: OpBinary, Length: 256}, wstest.Pattern(256)},
		},
		{
			name: "64 KiB of binary with a 64-bit length",
			wire: cat([]byte{0x82, 0x7F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00}, wstest.Pattern(65536)),
			want: Frame{Header{Fin: true, Opcode: OpBinary, Length: 65536}, wstest.Pattern(65536)},
		},
	}
}

// assertPayload compares payloads without printing 64 KiB when they differ.
func assertPayload(t *testing.T, want, got []byte, msgAndArgs ...any) bool {
	t.Helper()
	if len(want) <= 64 && len(got) <= 64 {
		return assert.Equal(t, want, got, msgAndArgs...)
	}
	if bytes.Equal(want, got) {
		return true
	}
	i := 0
	for i < len(want) && i < len(got) && want[i] == got[i] {
		i++
	}
	return assert.Fail(t, fmt.Sprintf("payloads differ: want %d bytes, got %d, first difference at byte %d", len(want), len(got), i), msgAndArgs...)
}

func TestReadFrameDecodesTheRFCExamples(t *testing.T) {
	// Proves RFC 6455 R-6.2-1 (docs/rfc6455.md).
	for _, tc := range rfcExamples() {
		t.Run(tc.name, func(t *testing.T) {
			br := reader(tc.wire)
			f, err := ReadFrame(br, noLimit)
			require.NoError(t, err, "% x… is a valid frame from RFC 6455 §5.7: MASK is the top bit of byte 1 (not byte 0), a 16- or 64-bit length is in network byte order (big-endian: 01 00 is 256), and the key follows only when MASK is set (RFC 6455 §5.2)", tc.wire[:min(len(tc.wire), 12)])
			require.NotNil(t, f, "ReadFrame returned no error, so it must return the frame")
			assert.Equal(t, tc.want.Header, f.Header, "the header of % x… (RFC 6455 §5.2: FIN 0x80, RSV 0x70, opcode 0x0F of byte 0; MASK 0x80 and the length of byte 1; then the extended length and the key)", tc.wire[:min(len(tc.wire), 12)])
			assertPayload(t, tc.want.Payload, f.Payload, "the payload is the Length bytes after the header, exactly as on the wire (ReadFrame does not unmask; step 6 does). Read it with io.ReadFull: a single Read may return fewer bytes than asked for")
			_, err = br.ReadByte()
			assert.ErrorIs(t, err, io.EOF, "ReadFrame must consume the whole frame and not one byte more: the next frame starts right after the payload")
		})
	}
}

func TestReadHeaderReadsTheFINBitAndEachRSVBitOnItsOwn(t *testing.T) {
	// flags are the four high bits of byte 0, apart from the opcode below
	// them, which the next test judges.
	type flags struct{ Fin, Rsv1, Rsv2, Rsv3 bool }
	for bits := range 16 {
		want := flags{
			Fin:  bits&8 != 0,
			Rsv1: bits&4 != 0,
			Rsv2: bits&2 != 0,
			Rsv3: bits&1 != 0,
		}
		b0 := byte(bits<<4) | byte(OpText)
		h, err := ReadHeader(reader([]byte{b0, 0x00}))
		require.NoError(t, err, "% x is a valid header", []byte{b0, 0x00})
		got := flags{h.Fin, h.Rsv1, h.Rsv2, h.Rsv3}
		if !assert.Equal(t, want, got, "first byte %08b: FIN is its bit 0x80, RSV1 0x40, RSV2 0x20, RSV3 0x10, and each is read on its own (RFC 6455 §5.2); ReadHeader reports them, checking them is a later step's job", b0) {
			return // one wrong bit shows in many bytes: one message is enough
		}
	}
}

func TestReadHeaderReadsTheOpcodeFromTheLowFourBits(t *testing.T) {
	for op := range Opcode(16) {
		for _, high := range []byte{0x00, 0x80, 0xF0} {
			b0 := high | byte(op)
			h, err := ReadHeader(reader([]byte{b0, 0x00}))
			require.NoError(t, err, "% x is a valid header: ReadHeader does not judge opcodes", []byte{b0, 0x00})
			if !assert.Equal(t, op, h.Opcode, "first byte %08b: the opcode is its low four bits, whatever FIN and RSV1-3 above them are (RFC 6455 §5.2)", b0) {
				return
			}
		}
	}
}

func TestReadHeaderDecodesEachLengthForm(t *testing.T) {
	cases := []struct {
		name   string
		length []byte // byte 1 without MASK, and the extended length
		want   uint64
	}{
		{"0 in 7 bits", []byte{0x00}, 0},
		{"125, the largest 7-bit length", []byte{0x7D}, 125},
		{"126, the smallest 16-bit length", []byte{0x7E, 0x00, 0x7E}, 126},
		{"127 in 16 bits", []byte{0x7E, 0x00, 0x7F}, 127},
		{"258 in 16 bits, in network byte order", []byte{0x7E, 0x01, 0x02}, 258},
		{"65535, the largest 16-bit length", []byte{0x7E, 0xFF, 0xFF}, 65535},
		{"65536, the smallest 64-bit length", []byte{0x7F, 0, 0, 0, 0, 0, 0x01, 0x00, 0x00}, 65536},
		{"a 64-bit length in network byte order", []byte{0x7F, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08}, 0x0102030405060708},
		{"2^63-1, the largest 64-bit length", []byte{0x7F, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}, math.MaxInt64},
	}
	const next = 0xEE // the byte after the header
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, masked := range []bool{false, true} {
				wire := cat([]byte{0x82}, tc.length)
				want := Header{Fin: true, Opcode: OpBinary, Length: tc.want}
				if masked {
					wire[1] |= 0x80
					wire = append(wire, key[:]...)
					want.Masked, want.Key = true, key
				}
				br := reader(wire, []byte{next})
				h, err := ReadHeader(br)
				if !assert.NoError(t, err, "% x is a valid header (masked: %v)", wire, masked) {
					continue
				}
				assert.Equal(t, want, h, "header % x: a 7-bit length of 0-125 is the length, 126 means a 16-bit length follows, 127 a 64-bit one, both in network byte order (big-endian); the key comes after the length (RFC 6455 §5.2)", wire)
				b, err := br.ReadByte()
				assert.True(t, err == nil && b == next, "ReadHeader must consume the %d header bytes % x and stop there, so that the payload comes next (got %#x, %v)", len(wire), wire, b, err)
			}
		})
	}
}

func TestReadHeaderRejectsALengthWithTheTopBitSet(t *testing.T) {
	// Proves RFC 6455 R-5.2-4 (docs/rfc6455.md).
	for _, wire := range [][]byte{
		{0x82, 0x7F, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00},
		{0x82, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x37, 0xfa, 0x21, 0x3d},
	} {
		_, err := ReadHeader(reader(wire))
		assert.ErrorIs(t, err, ErrLengthTopBit, "header % x: \"the most significant bit MUST be 0\" in a 64-bit length (RFC 6455 §5.2)", wire)

		f, err := ReadFrame(reader(wire), math.MaxUint64)
		assert.ErrorIs(t, err, ErrLengthTopBit, "ReadFrame must pass on ReadHeader's ErrLengthTopBit for % x, even with no limit", wire)
		assert.Nil(t, f, "ReadFrame returns no frame with an error")
	}
}

func TestReadHeaderRejectsALengthNotInItsShortestForm(t *testing.T) {
	// Proves RFC 6455 R-5.2-5 (docs/rfc6455.md).
	cases := []struct {
		name string
		wire []byte
	}{
		{"0 in 16 bits", []byte{0x81, 0x7E, 0x00, 0x00}},
		{"5 in 16 bits", []byte{0x81, 0x7E, 0x00, 0x05}},
		{"125 in 16 bits", []byte{0x81, 0x7E, 0x00, 0x7D}},
		{"125 in 16 bits, masked", []byte{0x81, 0xFE, 0x00, 0x7D, 0x37, 0xfa, 0x21, 0x3d}},
		{"0 in 64 bits", []byte{0x82, 0x7F, 0, 0, 0, 0, 0, 0, 0, 0}},
		{"125 in 64 bits", []byte{0x82, 0x7F, 0, 0, 0, 0, 0, 0, 0, 0x7D}},
		{"126 in 64 bits", []byte{0x82, 0x7F, 0, 0, 0, 0, 0, 0, 0, 0x7E}},
		{"65535 in 64 bits", []byte{0x82, 0x7F, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadHeader(reader(tc.wire))
			assert.ErrorIs(t, err, ErrNonMinimalLength, "header % x: \"the minimal number of bytes MUST be used to encode the length\" (RFC 6455 §5.2): a 16-bit length must be at least 126, a 64-bit one at least 65536", tc.wire)
		})
	}
}

func TestReadFrameRefusesAPayloadAboveTheLimitBeforeReadingIt(t *testing.T) {
	// Proves RFC 6455 R-10.4-1, R-10.4-2 (docs/rfc6455.md).
	t.Run("a header claiming 2^40 bytes, followed by nothing", func(t *testing.T) {
		wire := []byte{0x82, 0x7F, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00}
		f, err := ReadFrame(reader(wire), noLimit)
		assert.ErrorIs(t, err, ErrTooLarge, "a frame of 2^40 bytes is above the limit of %d: ReadFrame must say so from the header alone, before it allocates or reads any payload (RFC 6455 §10.4); io.ErrUnexpectedEOF means it tried to read the payload first", noLimit)
		assert.Nil(t, f, "ReadFrame returns no frame with an error")
	})
	t.Run("one byte over the limit, payload left unread", func(t *testing.T) {
		br := reader([]byte{0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f})
		f, err := ReadFrame(br, 4)
		assert.ErrorIs(t, err, ErrTooLarge, "a 5-byte payload is above a limit of 4")
		assert.Nil(t, f, "ReadFrame returns no frame with an error")
		rest, _ := io.ReadAll(br)
		assert.Equal(t, "Hello", string(rest), "ReadFrame must refuse the frame before reading its payload: the payload should still be in the reader")
	})
	t.Run("exactly at the limit", func(t *testing.T) {
		f, err := ReadFrame(reader([]byte{0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f}), 5)
		require.NoError(t, err, "a 5-byte payload is within a limit of 5: the limit is the largest payload allowed")
		assert.Equal(t, "Hello", string(f.Payload))
	})
	t.Run("an empty payload with a limit of 0", func(t *testing.T) {
		f, err := ReadFrame(reader([]byte{0x89, 0x00}), 0)
		require.NoError(t, err, "an empty ping is within any limit")
		assert.Equal(t, Header{Fin: true, Opcode: OpPing}, f.Header)
		assert.Empty(t, f.Payload, "a frame of length 0 has an empty payload")
	})
}

// truncatable are valid frames of every shape, for cutting short.
func truncatable() []example {
	maskedBig := func(b1 byte, ext []byte, n int) []byte {
		return cat([]byte{0x82, b1}, ext, key[:], wstest.Pattern(n))
	}
	return []example{
		{name: "an unmasked text frame", wire: []byte{0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f}},
		{name: "a masked text frame", wire: []byte{0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58}},
		{name: "a masked empty ping", wire: []byte{0x89, 0x80, 0x37, 0xfa, 0x21, 0x3d}},
		{name: "a masked frame with a 16-bit length", wire: maskedBig(0xFE, []byte{0x01, 0x00}, 256)},
		{name: "a masked frame with a 64-bit length", wire: maskedBig(0xFF, []byte{0, 0, 0, 0, 0, 0x01, 0x00, 0x00}, 65536)},
	}
}

// cuts are the places to cut wire short: everywhere, except inside a long
// payload, where a few hundred places (its start and end, around bufio's
// default 4096-byte buffer, and a stride between) say as much as all 65536
// would, in a fraction of the time.
func cuts(wire []byte) []int {
	var at []int
	for cut := 1; cut < len(wire); cut++ {
		if len(wire) <= 1024 || cut < 300 || len(wire)-cut < 100 ||
			(cut > 4096-40 && cut < 4096+40) || cut%1021 == 0 {
			at = append(at, cut)
		}
	}
	return at
}

func TestReadFrameReportsEveryTruncationAsUnexpectedEOF(t *testing.T) {
	for _, tc := range truncatable() {
		t.Run(tc.name, func(t *testing.T) {
			for _, cut := range cuts(tc.wire) {
				f, err := ReadFrame(reader(tc.wire[:cut]), noLimit)
				ok := assert.ErrorIs(t, err, io.ErrUnexpectedEOF, "the input ends after %d of the frame's %d bytes: a frame cut short is io.ErrUnexpectedEOF, never io.EOF (which means no frame began) or success", cut, len(tc.wire))
				ok = assert.Nil(t, f, "ReadFrame returns no frame with an error") && ok
				if !ok {
					return // the same mistake would repeat at every cut
				}
			}
		})
	}
}

func TestReadFrameReturnsEOFWhenNoFrameBegins(t *testing.T) {
	_, err := ReadHeader(reader())
	assert.True(t, err == io.EOF, "ReadHeader on an empty input must return io.EOF itself (got %v): the peer is gone between frames, a clean end", err)
	f, err := ReadFrame(reader(), noLimit)
	assert.True(t, err == io.EOF, "ReadFrame on an empty input must return io.EOF itself (got %v)", err)
	assert.Nil(t, f, "ReadFrame returns no frame with an error")
}

func TestReadFrameReadsFramesBackToBack(t *testing.T) {
	examples := rfcExamples()
	var wires [][]byte
	for _, tc := range examples {
		wires = append(wires, tc.wire)
	}
	br := reader(wires...)
	var kept []*Frame
	for _, tc := range examples {
		f, err := ReadFrame(br, noLimit)
		require.NoError(t, err, "reading %s after the frames before it: each ReadFrame must stop exactly at the end of its frame", tc.name)
		assert.Equal(t, tc.want.Header, f.Header, "the header of %s, read right after the frame before it", tc.name)
		assertPayload(t, tc.want.Payload, f.Payload, "the payload of %s", tc.name)
		kept = append(kept, f)
	}
	_, err := ReadFrame(br, noLimit)
	assert.True(t, err == io.EOF, "after the last frame, ReadFrame must return io.EOF (got %v)", err)

	// The caller keeps each frame while it reads the next ones (step 7
	// joins fragments that way): no later read may write into a payload
	// already handed out.
	for i, tc := range examples {
		if !assertPayload(t, tc.want.Payload, kept[i].Payload, "the payload of %s changed while the frames after it were read: each ReadFrame must return a payload of its own (a new slice), not a buffer that the next ReadFrame reuses or a slice of the bufio.Reader's buffer: the caller owns it", tc.name) {
			break
		}
	}
}

func TestReadFrameWorksWhateverTheReadSizes(t *testing.T) {
	// Proves RFC 6455 R-6.2-1 (docs/rfc6455.md).
	examples := rfcExamples()
	var all []byte
	for _, tc := range examples {
		all = append(all, tc.wire...)
	}
	readers := []struct {
		name string
		r    func() io.Reader
	}{
		{"one byte per Read", func() io.Reader { return iotest.OneByteReader(bytes.NewReader(all)) }},
		{"half of what was asked per Read", func() io.Reader { return iotest.HalfReader(bytes.NewReader(all)) }},
		{"data and io.EOF from the same Read", func() io.Reader { return iotest.DataErrReader(bytes.NewReader(all)) }},
	}
	for _, rc := range readers {
		t.Run(rc.name, func(t *testing.T) {
			// The smallest buffer bufio allows, so that fields straddle refills.
			br := bufio.NewReaderSize(rc.r(), 16)
			for _, tc := range examples {
				f, err := ReadFrame(br, noLimit)
				require.NoError(t, err, "reading %s: a Read may return fewer bytes than asked for, so read fixed-size fields with io.ReadFull, not a single Read", tc.name)
				assert.Equal(t, tc.want.Header, f.Header, "the header of %s", tc.name)
				assertPayload(t, tc.want.Payload, f.Payload, "the payload of %s: read all Length bytes, however many Reads that takes", tc.name)
			}
			_, err := ReadFrame(br, noLimit)
			assert.True(t, err == io.EOF, "after the last frame, ReadFrame must return io.EOF (got %v)", err)
		})
	}
}

// headerSize is the size of h on the wire (RFC 6455 §5.2).
func headerSize(h Header) int {
	n := 2
	switch {
	case h.Length > 65535:
		n += 8
	case h.Length > 125:
		n += 2
	}
	if h.Masked {
		n += 4
	}
	return n
}

func FuzzReadFrame(f *testing.F) {
	for _, tc := range rfcExamples()[:7] {
		f.Add(tc.wire)
	}
	f.Add([]byte{})
	f.Add([]byte{0x89, 0x80, 0x37, 0xfa, 0x21, 0x3d})
	f.Add([]byte{0x81, 0x7E, 0x00, 0x7D})
	f.Add([]byte{0x82, 0x7F, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00})
	f.Add([]byte{0x82, 0x7F, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00})
	f.Add([]byte{0x81, 0x05, 0x48, 0x65, 0x6c})
	const limit = 1 << 16
	f.Fuzz(func(t *testing.T, data []byte) {
		r := bytes.NewReader(data)
		br := bufio.NewReader(r)
		fr, err := ReadFrame(br, limit)
		if err != nil {
			assert.Nil(t, fr, "ReadFrame returns no frame with an error")
			known := errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, ErrLengthTopBit) ||
				errors.Is(err, ErrNonMinimalLength) || errors.Is(err, ErrTooLarge) ||
				(err == io.EOF && len(data) == 0)
			assert.True(t, known, "input % x: ReadFrame's errors are io.EOF (only for an empty input), io.ErrUnexpectedEOF, ErrLengthTopBit, ErrNonMinimalLength or ErrTooLarge; got %v", data, err)
			return
		}
		require.NotNil(t, fr, "ReadFrame returned no error, so it must return the frame")
		assert.Equal(t, fr.Length, uint64(len(fr.Payload)), "input % x: Length must equal len(Payload)", data)
		assert.LessOrEqual(t, fr.Length, uint64(limit), "input % x: a frame above the limit must fail with ErrTooLarge", data)
		consumed := len(data) - r.Len() - br.Buffered()
		assert.Equal(t, headerSize(fr.Header)+len(fr.Payload), consumed, "input % x: ReadFrame must consume exactly the header and the payload", data)
	})
}
