package message

import (
	frame "github.com/wsfromtcp/workshop/steps/04-frame-decode"
)

// Reader assembles data messages from frames (RFC 6455 §5.4). Control
// frames (any opcode with IsControl, and reserved opcodes, which the Reader
// does not judge, nor a control frame's FIN bit) are handed back to the
// caller as they arrive, also between the fragments of a message, so that a
// ping is answered while a large message is still coming in.
type Reader struct {
	next  FrameSource
	limit int

	// TODO(step 7): add what Next must remember between calls about the
	// message in progress: whether one is, its opcode, the data so far, and
	// where its UTF-8 check stands (a utf8Stream).
}

// NewReader returns a Reader that takes its frames from next and refuses
// any message longer than limit bytes, summed over its fragments (RFC 6455
// §10.4).
func NewReader(next FrameSource, limit int) *Reader {
	return &Reader{next: next, limit: limit}
}

// Next returns either a complete message (msg != nil) or a control or
// reserved frame (ctrl != nil), or an error. Text is validated as UTF-8
// (RFC 6455 §8.1) incrementally, fragment by fragment: invalid bytes fail at
// the fragment where they arrive (fail fast), and a code point split across
// fragments is fine; an incomplete code point at the end of the last
// fragment is invalid. A message's Data belongs to the caller: later calls
// to Next never write into it.
//
// The errors are those of the FrameSource, passed on unchanged, and errors
// wrapping ErrUnexpectedContinuation, ErrExpectedContinuation,
// ErrInvalidUTF8 or ErrTooLarge. After an error the connection is to be
// failed; the Reader is not used again.
func (r *Reader) Next() (msg *Message, ctrl *frame.Frame, err error) {
	// TODO(step 7): take frames from r.next until a message is complete.
	// Hand control and reserved frames straight back, even in the middle of
	// a message. Refuse a continuation with no message to continue and a new
	// text or binary frame inside one. Refuse a message that grows past the
	// limit, and text that is not UTF-8, as soon as the fragment that breaks
	// the rule arrives.
	panic("TODO(step 7): write Reader.Next")
}
