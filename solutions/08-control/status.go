// Package control is step 8 of the workshop: it ties steps 3 to 7 into a
// connection. A Conn reads messages and writes them, answers pings, ignores
// unsolicited pongs, runs the closing handshake, and fails the connection
// with the status code that RFC 6455 calls for when the client breaks the
// protocol. Echo, on top of it, is a complete echo server.
//
// Read RFC 6455 §5.5 Control Frames
// (https://www.rfc-editor.org/rfc/rfc6455#section-5.5), §7 Closing the
// Connection (https://www.rfc-editor.org/rfc/rfc6455#section-7) and §7.4
// Status Codes (https://www.rfc-editor.org/rfc/rfc6455#section-7.4).
// Chapter: docs/08-control.md.
package control

import (
	"fmt"
	"strconv"
)

// StatusCode is the reason a connection closes, carried in the first two
// bytes of a close frame (RFC 6455 §7.4,
// [https://www.rfc-editor.org/rfc/rfc6455#section-7.4]).
type StatusCode uint16

// The status codes of RFC 6455 §7.4.1 and the IANA registry (§11.7).
const (
	StatusNormalClosure      StatusCode = 1000 // the purpose of the connection is fulfilled
	StatusGoingAway          StatusCode = 1001 // a server going down, a browser leaving the page
	StatusProtocolError      StatusCode = 1002 // the peer broke the protocol
	StatusUnsupportedData    StatusCode = 1003 // a kind of data the endpoint cannot accept
	StatusNoStatusReceived   StatusCode = 1005 // never sent: the close frame carried no code
	StatusAbnormalClosure    StatusCode = 1006 // never sent: the connection dropped without a close frame
	StatusInvalidPayloadData StatusCode = 1007 // data inconsistent with the message type, such as text that is not UTF-8
	StatusPolicyViolation    StatusCode = 1008 // a message that breaks the endpoint's policy
	StatusMessageTooBig      StatusCode = 1009 // a message too big to process
	StatusMandatoryExtension StatusCode = 1010 // a client missing an extension it needs
	StatusInternalError      StatusCode = 1011 // the server hit an unexpected condition
	StatusServiceRestart     StatusCode = 1012 // the server is restarting (IANA registry)
	StatusTryAgainLater      StatusCode = 1013 // the server is overloaded (IANA registry)
	StatusBadGateway         StatusCode = 1014 // a gateway got a bad answer upstream (IANA registry)
	StatusTLSHandshake       StatusCode = 1015 // never sent: the TLS handshake failed
)

// statusNames are the names that String prints.
var statusNames = map[StatusCode]string{
	StatusNormalClosure:      "normal closure",
	StatusGoingAway:          "going away",
	StatusProtocolError:      "protocol error",
	StatusUnsupportedData:    "unsupported data",
	StatusNoStatusReceived:   "no status received",
	StatusAbnormalClosure:    "abnormal closure",
	StatusInvalidPayloadData: "invalid payload data",
	StatusPolicyViolation:    "policy violation",
	StatusMessageTooBig:      "message too big",
	StatusMandatoryExtension: "mandatory extension",
	StatusInternalError:      "internal error",
	StatusServiceRestart:     "service restart",
	StatusTryAgainLater:      "try again later",
	StatusBadGateway:         "bad gateway",
	StatusTLSHandshake:       "TLS handshake failure",
}

// String prints the code and its name from statusNames, such as "1002
// protocol error"; a code without a name says which range it is in:
// "3000 registered" for 3000–3999 (codes registered with IANA), "4000
// private use" for 4000–4999, and "1004 unknown" for any other.
func (c StatusCode) String() string {
	n := strconv.Itoa(int(c))
	if name, ok := statusNames[c]; ok {
		return n + " " + name
	}
	switch {
	case c >= 3000 && c <= 3999:
		return n + " registered"
	case c >= 4000 && c <= 4999:
		return n + " private use"
	}
	return n + " unknown"
}

// ValidOnWire reports whether a close frame may carry the code (RFC 6455
// §7.4). 1005, 1006 and 1015 exist only to tell an application what
// happened: they "MUST NOT be set as a status code in a Close control frame
// by an endpoint". Codes below 1000 are not used, 1004 and 1016–2999 are
// reserved, and 5000 and above are not defined. 3000–4999 are for libraries
// and applications. So the valid codes are exactly 1000–1003, 1007–1014
// and 3000–4999.
func (c StatusCode) ValidOnWire() bool {
	switch {
	case c >= 3000 && c <= 4999:
		return true
	// RFC 6455 §7.4.1 (R-7.4.1-3, R-7.4.1-4, R-7.4.1-5): 1005, 1006 and 1015 are never on the wire.
	case c == StatusNoStatusReceived, c == StatusAbnormalClosure, c == StatusTLSHandshake:
		return false
	}
	_, named := statusNames[c]
	return named
}

// CloseError is how a connection ended: the status code and reason of the
// close frame that ended it (received or sent), or StatusAbnormalClosure
// when it broke without one. Err, when set, is the cause: the protocol error
// the connection was failed for, or the network error that broke it.
// ReadMessage returns it; find it with errors.As.
type CloseError struct {
	Code   StatusCode
	Reason string
	Err    error
}

func (e *CloseError) Error() string {
	s := fmt.Sprintf("control: connection closed with %s", e.Code)
	if e.Reason != "" {
		s += fmt.Sprintf(" %q", e.Reason)
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap gives errors.Is and errors.As the cause.
func (e *CloseError) Unwrap() error { return e.Err }
