package attack

import (
	"fmt"
	"net/http"
	"time"
)

// EvilOrigin is the foreign page the origin attack claims to come from.
const EvilOrigin = "https://evil.example"

// Origin sends the opening handshake a page on another site makes when its
// script opens a WebSocket to the server: the browser sends the page's
// Origin (RFC 6455 §4.1, §10.2) and the user's cookies. A server that
// answers 101 lets any site in the world talk to it as its user
// (cross-site WebSocket hijacking); 403 refuses it.
func Origin(c Config) (Result, error) {
	var p pool
	defer p.closeAll()
	_, status, err := c.open(&p, time.Now().Add(c.T), "Origin: "+EvilOrigin+"\r\n")
	if err != nil {
		return Result{}, err
	}
	did := fmt.Sprintf("a handshake from Origin: %s got %d %s", EvilOrigin, status, http.StatusText(status))
	switch status {
	case http.StatusSwitchingProtocols:
		return Result{Line: did + ": any web site can open your chat as its visitor (cross-site WebSocket hijacking)"}, nil
	case http.StatusForbidden:
		return Result{Held: true, Line: did + ": foreign pages are refused"}, nil
	}
	return Result{Line: did + ": neither 101 nor 403; refuse a foreign Origin with 403 Forbidden"}, nil
}
