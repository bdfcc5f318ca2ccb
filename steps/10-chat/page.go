// Package chat is step 10 of the workshop, the capstone: a chat server that
// browsers use. One port serves the chat page over plain HTTP, answered by
// hand, and upgrades GET /ws to WebSocket; the step 9 hub carries every
// message to everyone in the room. With a TLS configuration the same server
// speaks https:// and wss://.
//
// Read RFC 6455 §1.7 Relationship to TCP and HTTP
// (https://www.rfc-editor.org/rfc/rfc6455#section-1.7), §4.1 on wss:// and
// TLS (https://www.rfc-editor.org/rfc/rfc6455#section-4.1), §10.6
// Connection Confidentiality and Integrity
// (https://www.rfc-editor.org/rfc/rfc6455#section-10.6), and RFC 9112 §4
// and §6 for the HTTP response (https://www.rfc-editor.org/rfc/rfc9112#section-4).
// Chapter: docs/10-chat.md.
package chat

import _ "embed"

// page is the chat page: HTML, CSS and JavaScript in one file, so that one
// GET brings the whole client. Its script opens ws:// or wss:// to /ws on
// the host it was loaded from.
//
//go:embed index.html
var page []byte
