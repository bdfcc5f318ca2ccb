// Package message is step 7 of the workshop: it puts data messages together
// from frames. A message comes in one frame or in many fragments, control
// frames may arrive between those fragments, a text message must be valid
// UTF-8, and no message may grow beyond a limit.
//
// Read RFC 6455 §5.4 Fragmentation
// (https://www.rfc-editor.org/rfc/rfc6455#section-5.4), §5.6 Data Frames
// (https://www.rfc-editor.org/rfc/rfc6455#section-5.6), §8.1 Handling Errors
// in UTF-8-Encoded Data (https://www.rfc-editor.org/rfc/rfc6455#section-8.1)
// and §10.4 Implementation-Specific Limits
// (https://www.rfc-editor.org/rfc/rfc6455#section-10.4).
// Chapter: docs/07-messages.md.
package message

import (
	"errors"

	frame "github.com/wsfromtcp/workshop/solutions/04-frame-decode"
)

// Message is one complete data message: the payloads of all its fragments,
// joined in order.
type Message struct {
	Opcode frame.Opcode // OpText or OpBinary, from the first fragment
	Data   []byte
}

// Errors that Reader.Next returns, wrapped with context; test for them with
// errors.Is. Each one means the connection must be failed (RFC 6455 §7.1.7).
var (
	// ErrUnexpectedContinuation: a continuation frame (opcode 0) arrived
	// when no fragmented message was in progress (RFC 6455 §5.4).
	ErrUnexpectedContinuation = errors.New("message: continuation frame with no message to continue")
	// ErrExpectedContinuation: a text or binary frame arrived while a
	// fragmented message was still in progress; RFC 6455 §5.4 says the
	// fragments of one message "MUST NOT be interleaved" with another's.
	ErrExpectedContinuation = errors.New("message: new data frame inside a fragmented message")
	// ErrInvalidUTF8: a text message is not valid UTF-8 (RFC 6455 §5.6,
	// §8.1: the endpoint "MUST _Fail the WebSocket Connection_").
	ErrInvalidUTF8 = errors.New("message: text message is not valid UTF-8")
	// ErrTooLarge: the message, summed over its fragments, is longer than
	// the Reader's limit (RFC 6455 §10.4).
	ErrTooLarge = errors.New("message: message larger than the limit")
)

// FrameSource yields the next frame, already unmasked: for a server, a
// closure around mask.ReadClientFrame. Its errors are passed on by
// Reader.Next unchanged.
type FrameSource func() (*frame.Frame, error)
