package encode

import (
	"bytes"
	"fmt"

	frame "github.com/wsfromtcp/workshop/steps/04-frame-decode"
)

// A server sends "Hello" as the first example of RFC 6455 §5.7.
func ExampleWriteFrame() {
	var conn bytes.Buffer // a net.Conn in a real server
	if err := WriteFrame(&conn, true, frame.OpText, []byte("Hello")); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("% x\n", conn.Bytes())
	// Output: 81 05 48 65 6c 6c 6f
}

// A client's header carries the masking key after the length: the second
// example of RFC 6455 §5.7.
func ExampleAppendHeader() {
	h := frame.Header{Fin: true, Opcode: frame.OpText, Masked: true, Length: 5, Key: [4]byte{0x37, 0xfa, 0x21, 0x3d}}
	fmt.Printf("% x\n", AppendHeader(nil, h))
	// Output: 81 85 37 fa 21 3d
}
