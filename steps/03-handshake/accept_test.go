package handshake

import (
	"fmt"
	"testing"

	"github.com/wsfromtcp/workshop/tools/wstest/assert"
)

func TestAcceptKeyMatchesTheRFCSample(t *testing.T) {
	// Proves RFC 6455 R-4.2.2-10 (docs/rfc6455.md).
	assert.Equal(t, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", AcceptKey("dGhlIHNhbXBsZSBub25jZQ=="),
		"RFC 6455 §1.3 works this example: base64(SHA-1(key + \"258EAFA5-E914-47DA-95CA-C5AB0DC85B11\")); the key is used as sent, not decoded")
	// Computed independently: printf '%s' 'x3JJHMbDL1EzLkh9GBhXDw==258EAFA5-E914-47DA-95CA-C5AB0DC85B11' | openssl sha1 -binary | base64
	assert.Equal(t, "HSmrc0sMlYUkAGmm5OPpG2HaGWk=", AcceptKey("x3JJHMbDL1EzLkh9GBhXDw=="),
		"a second key, to rule out an answer that only fits the RFC's example (RFC 6455 §4.2.2 item 5.4)")
}

func ExampleAcceptKey() {
	fmt.Println(AcceptKey("dGhlIHNhbXBsZSBub25jZQ=="))
	// Output: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=
}
