package hardening

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	request "github.com/wsfromtcp/workshop/solutions/02-request"
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
	origins := r.Header.Values("Origin")
	// RFC 6455 §4.2.1 (R-4.2.1-2): no Origin: not a browser, nothing to check.
	if len(origins) == 0 {
		return nil
	}
	origin := strings.TrimSpace(origins[0])
	for _, a := range allowed {
		if strings.EqualFold(origin, strings.TrimSpace(a)) {
			return nil
		}
	}
	u, err := url.Parse(origin)
	if err == nil && u.Host != "" && strings.EqualFold(u.Host, r.Header.Get("Host")) {
		return nil
	}
	// RFC 6455 §10.2 (R-10.2-1): an Origin the server does not expect is refused.
	return fmt.Errorf("%w: a page from %q may not open a WebSocket here", ErrOrigin, origin)
}
