package mask

import (
	"bufio"
	"bytes"
	"io"
	"testing"
	"testing/iotest"

	frame "github.com/wsfromtcp/workshop/steps/04-frame-decode"
	"github.com/wsfromtcp/workshop/tools/wstest/assert"
	"github.com/wsfromtcp/workshop/tools/wstest/require"
)

// noLimit is a limit that no test frame reaches.
const noLimit = 1 << 20

// reader reads the concatenation of frames.
func reader(frames ...[]byte) *bufio.Reader {
	return bufio.NewReader(bytes.NewReader(bytes.Join(frames, nil)))
}

// maskedHello and maskedPong are the masked frames of RFC 6455 §5.7.
var (
	maskedHello = []byte{0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58}
	maskedPong  = []byte{0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58}
)

// masked builds a masked frame of payload, as a client would send it.
func masked(b0 byte, k [4]byte, payload []byte) []byte {
	if len(payload) > frame.MaxLen7 {
		panic("masked: test frames have 7-bit lengths")
	}
	wire := append([]byte{b0, frame.MaskBit | byte(len(payload))}, k[:]...)
	body := bytes.Clone(payload)
	reference(k, 0, body)
	return append(wire, body...)
}

func TestReadClientFrameUnmasksThePayloadInPlace(t *testing.T) {
	// Proves RFC 6455 R-6.2-5 (docs/rfc6455.md).
	cases := []struct {
		name string
		wire []byte
		want frame.Header
	}{
		{"the masked text message of RFC 6455 §5.7", maskedHello, frame.Header{Fin: true, Opcode: frame.OpText, Masked: true, Length: 5, Key: key}},
		{"the masked pong of RFC 6455 §5.7", maskedPong, frame.Header{Fin: true, Opcode: frame.OpPong, Masked: true, Length: 5, Key: key}},
		// A random key is 00 00 00 00 once in 2^32 frames: still masked,
		// as the MASK bit says, and unmasking changes nothing.
		{"a masked frame whose key happens to be 00 00 00 00", masked(0x81, [4]byte{}, []byte("Hello")), frame.Header{Fin: true, Opcode: frame.OpText, Masked: true, Length: 5}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, err := ReadClientFrame(reader(tc.wire), noLimit)
			require.NoError(t, err, "% x is a valid masked frame: the MASK bit (0x80 of byte 1) says whether a frame is masked, whatever its key (RFC 6455 §5.2)", tc.wire)
			require.NotNil(t, f, "ReadClientFrame returned no error, so it must return the frame")
			assert.Equal(t, "Hello", string(f.Payload), "the payload 7f 9f 4d 51 58 unmasked with key 37 fa 21 3d is \"Hello\" (RFC 6455 §5.3, §5.7)")
			assert.Equal(t, tc.want, f.Header, "the header stays as received, Masked and Key included: only the payload is unmasked")
		})
	}
}

func TestReadClientFrameRejectsAnUnmaskedFrame(t *testing.T) {
	// Proves RFC 6455 R-5.1-1 (docs/rfc6455.md).
	for _, wire := range [][]byte{
		{0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f},
		{0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f},
		{0x88, 0x00},
	} {
		f, err := ReadClientFrame(reader(wire), noLimit)
		assert.ErrorIs(t, err, ErrUnmasked, "% x has no MASK bit: \"The server MUST close the connection upon receiving a frame that is not masked\" (RFC 6455 §5.1), so ReadClientFrame must fail with ErrUnmasked", wire)
		assert.Nil(t, f, "ReadClientFrame returns no frame with an error")
	}
}

func TestReadClientFramePassesFrameErrorsThrough(t *testing.T) {
	cases := []struct {
		name  string
		wire  []byte
		limit uint64
		want  error
	}{
		{"a payload above the limit", maskedHello, 4, frame.ErrTooLarge},
		{"a frame cut short in its payload", maskedHello[:8], noLimit, io.ErrUnexpectedEOF},
		{"a frame cut short in its key", maskedHello[:4], noLimit, io.ErrUnexpectedEOF},
		{"a length not in its shortest form", []byte{0x81, 0xFE, 0x00, 0x05, 0x37, 0xfa, 0x21, 0x3d}, noLimit, frame.ErrNonMinimalLength},
		{"no frame at all", nil, noLimit, io.EOF},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, err := ReadClientFrame(reader(tc.wire), tc.limit)
			assert.ErrorIs(t, err, tc.want, "ReadClientFrame must pass frame.ReadFrame's error on, so that the caller can tell a closed connection from a protocol error")
			assert.Nil(t, f, "ReadClientFrame returns no frame with an error")
		})
	}
}

func TestReadClientFrameAcceptsAnEmptyMaskedFrame(t *testing.T) {
	f, err := ReadClientFrame(reader([]byte{0x89, 0x80, 0x37, 0xfa, 0x21, 0x3d}), noLimit)
	require.NoError(t, err, "89 80 37 fa 21 3d is a masked ping with no payload: the key is there even when there is nothing to mask (RFC 6455 §5.2)")
	require.NotNil(t, f, "ReadClientFrame returned no error, so it must return the frame")
	assert.Equal(t, frame.Header{Fin: true, Opcode: frame.OpPing, Masked: true, Key: key}, f.Header, "an empty masked ping")
	assert.Empty(t, f.Payload, "an empty frame has an empty payload")
}

func TestReadClientFrameReadsFramesBackToBack(t *testing.T) {
	k2 := [4]byte{0x00, 0xff, 0x80, 0x01}
	frames := []struct {
		wire    []byte
		payload string
	}{
		{maskedHello, "Hello"},
		{masked(0x01, k2, []byte("fragmented ")), "fragmented "},
		{masked(0x80, key, []byte("message")), "message"},
		{[]byte{0x89, 0x80, 0x01, 0x02, 0x03, 0x04}, ""},
		{masked(0x82, k2, bytes.Repeat([]byte{0xAA}, 125)), string(bytes.Repeat([]byte{0xAA}, 125))},
	}
	var all []byte
	for _, fr := range frames {
		all = append(all, fr.wire...)
	}
	// One byte per Read, through bufio's smallest buffer.
	br := bufio.NewReaderSize(iotest.OneByteReader(bytes.NewReader(all)), 16)
	for i, fr := range frames {
		f, err := ReadClientFrame(br, noLimit)
		require.NoError(t, err, "frame %d of %d, read one byte at a time", i+1, len(frames))
		assert.Equal(t, fr.payload, string(f.Payload), "frame %d: each frame has its own key, and unmasking starts at key byte 0 with each frame's payload (RFC 6455 §5.3)", i+1)
	}
	_, err := ReadClientFrame(br, noLimit)
	assert.ErrorIs(t, err, io.EOF, "after the last frame, the client is gone")
}
