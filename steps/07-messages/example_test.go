package message

import (
	"bufio"
	"bytes"
	"fmt"

	frame "github.com/wsfromtcp/workshop/steps/04-frame-decode"
)

// A Reader takes frames from any FrameSource, here step 4's ReadFrame on
// the bytes of the fragmented example of RFC 6455 §5.7 with a ping between
// the fragments. The ping comes back first; the message follows.
func ExampleReader() {
	wire := []byte{
		0x01, 0x03, 'H', 'e', 'l', // text, FIN clear: "Hel"
		0x89, 0x02, 'h', 'i', // ping "hi", between the fragments
		0x80, 0x02, 'l', 'o', // continuation, FIN set: "lo"
	}
	br := bufio.NewReader(bytes.NewReader(wire))
	r := NewReader(func() (*frame.Frame, error) { return frame.ReadFrame(br, 1024) }, 1024)
	for {
		msg, ctrl, err := r.Next()
		switch {
		case err != nil:
			fmt.Println("error:", err)
			return
		case ctrl != nil:
			fmt.Printf("%s %q\n", ctrl.Opcode, ctrl.Payload)
		default:
			fmt.Printf("%s message %q\n", msg.Opcode, msg.Data)
			return
		}
	}
	// Output:
	// ping "hi"
	// text message "Hello"
}
