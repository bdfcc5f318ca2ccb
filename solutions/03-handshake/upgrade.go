package handshake

import (
	"bufio"
	"errors"
	"fmt"
	"io"

	request "github.com/wsfromtcp/workshop/solutions/02-request"
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
	// RFC 6455 §4.2.2 (R-4.2.2-1): read the handshake, check it, answer it.
	r, err := request.ReadRequest(br)
	if errors.Is(err, io.EOF) {
		return nil, io.EOF
	}
	if err != nil {
		// A broken head is a bad request too; the answer may not reach a
		// client that is already gone, and that is fine.
		// RFC 6455 §10.7 (R-10.7-4): a head that cannot be read still gets an HTTP status.
		_ = WriteReject(w, err)
		return nil, fmt.Errorf("handshake: reading the request: %w", err)
	}
	// RFC 6455 §4.2.1 (R-4.2.1-1): an invalid handshake is answered with an error status and processed no further.
	key, err := Check(r)
	if err != nil {
		if werr := WriteReject(w, err); werr != nil {
			return r, errors.Join(err, werr)
		}
		return r, err
	}
	if err := WriteAccept(w, key); err != nil {
		return r, fmt.Errorf("handshake: writing the response: %w", err)
	}
	return r, nil
}
