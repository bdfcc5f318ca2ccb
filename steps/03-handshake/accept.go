// Package handshake is step 3 of the workshop: the server's side of the
// WebSocket opening handshake. It checks the client's upgrade request,
// proves with Sec-WebSocket-Accept that it understood it, and answers 101
// Switching Protocols, or 400 or 426 when it cannot.
//
// Read RFC 6455 §1.3 (https://www.rfc-editor.org/rfc/rfc6455#section-1.3),
// §4.2.1 and §4.2.2 (https://www.rfc-editor.org/rfc/rfc6455#section-4.2),
// and §4.4 (https://www.rfc-editor.org/rfc/rfc6455#section-4.4).
// Chapter: docs/03-handshake.md. Check your work with: make step3
package handshake

// GUID is the fixed string that RFC 6455 §1.3 appends to the client's key.
// No other protocol uses it, so a correct Sec-WebSocket-Accept shows that
// the server really speaks WebSocket, rather than being an HTTP server or
// cache that happened to pass the request on.
const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

// Version is the only version of the protocol this server speaks (RFC 6455 §4.1).
const Version = "13"

// AcceptKey computes the Sec-WebSocket-Accept value for a client's
// Sec-WebSocket-Key: the base64 of the SHA-1 of the key followed by GUID
// (RFC 6455 §4.2.2, item 5.4). The key is used as sent, not decoded.
func AcceptKey(key string) string {
	// TODO(step 3): hash the key followed by GUID with SHA-1, and return the
	// hash in base64.
	panic("TODO(step 3): write AcceptKey")
}
