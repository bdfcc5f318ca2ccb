package hardening

import (
	"errors"

	request "github.com/wsfromtcp/workshop/steps/02-request"
)

// ErrOrigin: the handshake came from a page on another site. The server
// answers 403 Forbidden with the error's text (RFC 6455 §4.2.2 and §10.2).
var ErrOrigin = errors.New("hardening: origin not allowed")

// CheckOrigin decides whether a handshake may go on, by its Origin header
// (RFC 6455 §10.2). A browser always sends Origin, the scheme and host of
// the page whose script opens the WebSocket; a program need not, and one
// without Origin is allowed: it could send any Origin it likes anyway. An
// Origin is allowed when its host (with port) is the request's Host, which
// is the page served by this server itself, or when it is in allowed,
// compared ASCII case-insensitively. Anything else, "null" included, is an
// error wrapping ErrOrigin that names the origin.
func CheckOrigin(r *request.Request, allowed []string) error {
	// TODO(step 11): no Origin header: allowed. An Origin equal to one of
	// allowed (strings.EqualFold): allowed. An Origin whose host (url.Parse,
	// then .Host) is the request's Host: allowed. Anything else: an error
	// wrapping ErrOrigin that quotes the origin.
	panic("TODO(step 11): write CheckOrigin")
}
