package handshake

import (
	"errors"

	request "github.com/wsfromtcp/workshop/steps/02-request"
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
	// TODO(step 3): check the method, the HTTP version, the target, Host,
	// Upgrade, Connection, Sec-WebSocket-Version and Sec-WebSocket-Key, in
	// that order. Return an error wrapping the matching Err… above, with the
	// value that was wrong.
	panic("TODO(step 3): write Check")
}

// Status is the HTTP status code that answers a failed handshake: 426
// Upgrade Required for a version this server does not speak (RFC 6455
// §4.4), 400 Bad Request for anything else (§4.2.1).
func Status(err error) int {
	// TODO(step 3): 426 for ErrVersion, 400 for any other error.
	panic("TODO(step 3): write Status")
}
