package message

import (
	"errors"
	"io"

	frame "github.com/wsfromtcp/workshop/steps/04-frame-decode"
)

// source hands out its frames in order, then io.EOF, and counts how many
// Next asked for.
type source struct {
	frames []*frame.Frame
	asked  int
}

func newSource(frames ...*frame.Frame) *source { return &source{frames: frames} }

func (s *source) next() (*frame.Frame, error) {
	s.asked++
	if s.asked > len(s.frames) {
		return nil, io.EOF
	}
	return s.frames[s.asked-1], nil
}

// errReadAhead is what a strictSource answers when Next asks for more
// frames than the test allows.
var errReadAhead = errors.New("test: Next asked for a frame it should not have needed")

// strictSource hands out the first allowed frames of src and refuses to
// give more: Next must decide with what it has.
func strictSource(allowed int, frames ...*frame.Frame) *source {
	return &source{frames: frames[:allowed]}
}

func (s *source) strictNext() (*frame.Frame, error) {
	s.asked++
	if s.asked > len(s.frames) {
		return nil, errReadAhead
	}
	return s.frames[s.asked-1], nil
}

// dataFrame is a frame as a server's FrameSource yields it: already unmasked.
func dataFrame(fin bool, op frame.Opcode, payload []byte) *frame.Frame {
	return &frame.Frame{
		Header:  frame.Header{Fin: fin, Opcode: op, Length: uint64(len(payload))},
		Payload: payload,
	}
}

func text(fin bool, s string) *frame.Frame   { return dataFrame(fin, frame.OpText, []byte(s)) }
func binary(fin bool, b []byte) *frame.Frame { return dataFrame(fin, frame.OpBinary, b) }
func cont(fin bool, s string) *frame.Frame   { return dataFrame(fin, frame.OpContinuation, []byte(s)) }
func ping(s string) *frame.Frame             { return dataFrame(true, frame.OpPing, []byte(s)) }

// fragments turns the pieces of one message into frames: the first with op,
// the others continuations, FIN on the last only.
func fragments(op frame.Opcode, pieces ...string) []*frame.Frame {
	frames := make([]*frame.Frame, len(pieces))
	for i, p := range pieces {
		o := frame.OpContinuation
		if i == 0 {
			o = op
		}
		frames[i] = dataFrame(i == len(pieces)-1, o, []byte(p))
	}
	return frames
}

// readMessage calls Next until it returns a message or an error, and
// returns the control frames it handed back on the way.
func readMessage(r *Reader) (*Message, []*frame.Frame, error) {
	var ctrls []*frame.Frame
	for {
		msg, ctrl, err := r.Next()
		if err != nil || msg != nil {
			return msg, ctrls, err
		}
		if ctrl == nil {
			return nil, ctrls, errors.New("test: Next returned no message, no control frame and no error")
		}
		ctrls = append(ctrls, ctrl)
	}
}

// binaryNote is what an assertion adds for a binary message, whose bytes
// need not be UTF-8.
func binaryNote(op frame.Opcode) string {
	if op != frame.OpBinary {
		return ""
	}
	return "; a binary message is arbitrary bytes, never checked as UTF-8 (RFC 6455 §5.6: only text is UTF-8)"
}
