package mask

import (
	"bufio"
	"errors"

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
	// TODO(step 6): read one frame, refuse it if MASK is not set, and
	// unmask its payload with Apply.
	panic("TODO(step 6): write ReadClientFrame")
}
