package message

import (
	"fmt"

	frame "github.com/wsfromtcp/workshop/solutions/04-frame-decode"
)

// Reader assembles data messages from frames (RFC 6455 §5.4). Control
// frames (any opcode with IsControl, and reserved opcodes, which the Reader
// does not judge, nor a control frame's FIN bit) are handed back to the
// caller as they arrive, also between the fragments of a message, so that a
// ping is answered while a large message is still coming in.
type Reader struct {
	next  FrameSource
	limit int

	// The message in progress, between its first fragment and its last.
	inMessage bool
	op        frame.Opcode
	data      []byte
	text      utf8Stream
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
	for {
		f, err := r.next()
		if err != nil {
			return nil, nil, err
		}
		// Control frames may come between fragments (§5.4): hand them back
		// at once, leaving the message in progress as it is. Reserved
		// opcodes go back too: judging them is the caller's job.
		// RFC 6455 §5.4 (R-5.4-5, R-5.4-1): control frames between fragments.
		if f.Opcode.IsControl() || f.Opcode.IsReserved() {
			return nil, f, nil
		}

		switch {
		// RFC 6455 §5.4 (R-5.4-7): a message does not start with a continuation.
		case f.Opcode == frame.OpContinuation && !r.inMessage:
			return nil, nil, fmt.Errorf("%w (%d bytes, FIN %t)", ErrUnexpectedContinuation, len(f.Payload), f.Fin)
		// RFC 6455 §5.4 (R-5.4-4): no message starts inside another.
		case f.Opcode != frame.OpContinuation && r.inMessage:
			return nil, nil, fmt.Errorf("%w: a %s frame while a %s message of %d bytes so far was unfinished",
				ErrExpectedContinuation, f.Opcode, r.op, len(r.data))
		case f.Opcode != frame.OpContinuation:
			// RFC 6455 §6.2 (R-6.2-3): the first frame gives the message its type.
			r.inMessage, r.op, r.data, r.text = true, f.Opcode, nil, utf8Stream{}
		}

		// Check the size before keeping anything: a peer must not make us
		// hold more than the limit, however it cuts the message (§10.4).
		// RFC 6455 §10.4 (R-10.4-1, R-10.4-2): the limit holds for the message, summed over its fragments.
		if len(f.Payload) > r.limit-len(r.data) {
			return nil, nil, fmt.Errorf("%w: %s message of at least %d bytes, limit %d",
				ErrTooLarge, r.op, len(r.data)+len(f.Payload), r.limit)
		}
		// Check text as it arrives, so that garbage fails the connection at
		// the first fragment that carries it (§8.1), not after the peer has
		// sent the whole message.
		if r.op == frame.OpText {
			// RFC 6455 §5.6, §8.1 (R-8.1-1, R-5.6-1): text that is not UTF-8 fails, at the fragment that breaks it.
			if at := r.text.write(f.Payload); at >= 0 {
				return nil, nil, fmt.Errorf("%w: bad byte %#x at offset %d of the message",
					ErrInvalidUTF8, f.Payload[at], len(r.data)+at)
			}
			// RFC 6455 §5.6 (R-5.6-1): the whole message is valid UTF-8.
			if f.Fin && !r.text.complete() {
				return nil, nil, fmt.Errorf("%w: the message ends inside a code point", ErrInvalidUTF8)
			}
		}

		// RFC 6455 §5.4 (R-5.4-6, R-5.4-3): fragmented or not, fragments joined in order.
		if !f.Fin {
			r.data = append(r.data, f.Payload...)
			continue
		}
		data := f.Payload
		if r.data != nil {
			data = append(r.data, f.Payload...)
		}
		msg := &Message{Opcode: r.op, Data: data}
		// The message belongs to the caller now: start the next one afresh
		// rather than reuse its buffer.
		// RFC 6455 §6.2 (R-6.2-4): the next data frame starts a new message.
		r.inMessage, r.data = false, nil
		return msg, nil, nil
	}
}
