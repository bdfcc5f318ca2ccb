package handshake

import (
	"bufio"
	"io"

	request "github.com/wsfromtcp/workshop/steps/02-request"
)

// Upgrade reads an opening handshake from br and answers it on w: 101 when
// it is valid, else 400 or 426. It returns the request, or why it was
// refused: an error that wraps Check's (errors.Is(err, ErrKey)) or step 2's
// for a head it could not read. On success every byte after the request
// head is still in br, where the client's first frames may already wait.
//
// A client that hangs up before sending anything gets no answer, and
// Upgrade returns io.EOF.
func Upgrade(br *bufio.Reader, w io.Writer) (*request.Request, error) {
	// TODO(step 3): read the head with your step 2, check it, and answer:
	// nothing on io.EOF, a rejection for a bad head or a failed check, the
	// acceptance otherwise.
	panic("TODO(step 3): write Upgrade")
}
