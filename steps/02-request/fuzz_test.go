package request

import (
	"bufio"
	"bytes"
	"testing"
)

func FuzzReadRequest(f *testing.F) {
	f.Add([]byte(sampleHandshake))
	f.Add([]byte("GET / HTTP/1.1\nHost: a\n\n"))
	f.Add([]byte("GET / HTTP/1.1\r\n x\r\n\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ReadRequest(bufio.NewReader(bytes.NewReader(data)))
		if err == nil && (r == nil || r.Header == nil) {
			t.Fatalf("ReadRequest(%q) returned no error and no request", data)
		}
	})
}
