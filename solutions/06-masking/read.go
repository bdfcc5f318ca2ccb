package mask

import (
	"bufio"
	"errors"
	"fmt"

	frame "github.com/wsfromtcp/workshop/solutions/04-frame-decode"
)

// ErrUnmasked is returned for a client frame without the MASK bit: RFC 6455
// §5.1 says the server MUST close the connection (with status 1002,
// protocol error).
var ErrUnmasked = errors.New("mask: client frame is not masked")

// ReadClientFrame reads a frame from a client with frame.ReadFrame, fails
// with ErrUnmasked when it is not masked, and unmasks the payload in place
// (Header.Masked and Key stay as received). Errors from frame.ReadFrame are
// passed on.
func ReadClientFrame(br *bufio.Reader, limit uint64) (*frame.Frame, error) {
	f, err := frame.ReadFrame(br, limit)
	if err != nil {
		return nil, err
	}
	// "The server MUST close the connection upon receiving a frame that is
	// not masked" (RFC 6455 §5.1): the caller does that on this error.
	// RFC 6455 §5.1 (R-5.1-1): an unmasked frame is an error, and the connection is failed on it.
	if !f.Masked {
		return nil, fmt.Errorf("%w: %s frame of %d bytes", ErrUnmasked, f.Opcode, f.Length)
	}
	// RFC 6455 §6.2 (R-6.2-5): the server unmasks what the client sends.
	Apply(f.Key, 0, f.Payload)
	return f, nil
}
