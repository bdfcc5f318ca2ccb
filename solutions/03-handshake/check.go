package handshake

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	request "github.com/wsfromtcp/workshop/solutions/02-request"
)

// Why a request is not a valid opening handshake (RFC 6455 §4.2.1). Check
// wraps one of them with the value that was wrong.
var (
	ErrMethod      = errors.New("handshake: method must be GET")
	ErrHTTPVersion = errors.New("handshake: HTTP/1.1 or higher required")
	ErrTarget      = errors.New("handshake: request-target must be a path")
	ErrHost        = errors.New("handshake: missing Host header")
	ErrUpgrade     = errors.New("handshake: Upgrade header must be websocket")
	ErrConnection  = errors.New("handshake: Connection header must include Upgrade")
	ErrKey         = errors.New("handshake: Sec-WebSocket-Key must be 16 base64-encoded bytes")
	ErrVersion     = errors.New("handshake: unsupported Sec-WebSocket-Version")
)

// Check applies RFC 6455 §4.2.1 to a request head and returns its
// Sec-WebSocket-Key. The order of the checks matters only for Version,
// which comes before the key: a client of another version should learn,
// with a 426, which version to speak (§4.4).
func Check(r *request.Request) (key string, err error) {
	switch {
	// RFC 6455 §4.1 (R-4.1-1): GET, and HTTP/1.1 or higher.
	case r.Method != "GET": // methods are case-sensitive (RFC 9110 §9.1)
		return "", fmt.Errorf("%w: got %q", ErrMethod, r.Method)
	case r.ProtoMajor < 1 || (r.ProtoMajor == 1 && r.ProtoMinor < 1):
		return "", fmt.Errorf("%w: got %q", ErrHTTPVersion, r.Proto)
	case !strings.HasPrefix(r.Target, "/"):
		return "", fmt.Errorf("%w: got %q", ErrTarget, r.Target)
	}
	// RFC 6455 §4.1 (R-4.1-3): a Host header.
	if hosts := r.Header.Values("Host"); len(hosts) != 1 || hosts[0] == "" {
		// RFC 9112 §3.2: a request without exactly one Host gets a 400.
		return "", fmt.Errorf("%w: got %q", ErrHost, hosts)
	}
	// RFC 6455 §4.1 (R-4.1-4): Upgrade includes websocket.
	if !hasToken(r.Header.Values("Upgrade"), "websocket") {
		return "", fmt.Errorf("%w: got %q", ErrUpgrade, r.Header.Values("Upgrade"))
	}
	// Connection is a list: Firefox sends "keep-alive, Upgrade".
	// RFC 6455 §4.1 (R-4.1-5): Connection includes the Upgrade token.
	if !hasToken(r.Header.Values("Connection"), "upgrade") {
		return "", fmt.Errorf("%w: got %q", ErrConnection, r.Header.Values("Connection"))
	}
	// RFC 6455 §4.1 (R-4.1-8, R-4.1-9): one Sec-WebSocket-Version, and it is 13.
	if v := r.Header.Values("Sec-WebSocket-Version"); len(v) != 1 || strings.TrimSpace(v[0]) != Version {
		return "", fmt.Errorf("%w: got %q, want %q", ErrVersion, v, Version)
	}
	// RFC 6455 §4.1 (R-4.1-6): one Sec-WebSocket-Key.
	keys := r.Header.Values("Sec-WebSocket-Key")
	if len(keys) != 1 {
		return "", fmt.Errorf("%w: got %d keys", ErrKey, len(keys))
	}
	// "when decoded, is 16 bytes in length" (RFC 6455 §4.2.1 item 5).
	// RFC 6455 §4.1 (R-4.1-7): the key is 16 bytes in base64.
	if raw, err := base64.StdEncoding.DecodeString(keys[0]); err != nil || len(raw) != 16 {
		return "", fmt.Errorf("%w: got %q", ErrKey, keys[0])
	}
	return keys[0], nil
}

// Status is the HTTP status code that answers a failed handshake: 426
// Upgrade Required for a version this server does not speak (RFC 6455
// §4.4), 400 Bad Request for anything else (§4.2.1).
func Status(err error) int {
	if errors.Is(err, ErrVersion) {
		// RFC 6455 §4.2.2, §4.4 (R-4.2.2-4, R-4.4-1): another version gets 426.
		return 426
	}
	return 400
}

// hasToken reports whether any of the comma-separated lists in values
// holds token, compared ASCII case-insensitively (RFC 6455 §4.2.1 items 3
// and 4).
func hasToken(values []string, token string) bool {
	for _, v := range values {
		for _, t := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}
