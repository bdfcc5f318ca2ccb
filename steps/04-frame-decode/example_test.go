package frame

import (
	"bufio"
	"bytes"
	"fmt"
)

// ReadFrame takes frames off a buffered reader one at a time; a masked
// frame's payload comes back as it was on the wire, still masked.
func ExampleReadFrame() {
	// The first two examples of RFC 6455 §5.7: "Hello" unmasked, then masked.
	wire := []byte{
		0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f,
		0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58,
	}
	br := bufio.NewReader(bytes.NewReader(wire))
	for range 2 {
		f, err := ReadFrame(br, 1<<20)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("fin=%v %s length=%d masked=%v key=% x payload=% x\n",
			f.Fin, f.Opcode, f.Length, f.Masked, f.Key, f.Payload)
	}
	// Output:
	// fin=true text length=5 masked=false key=00 00 00 00 payload=48 65 6c 6c 6f
	// fin=true text length=5 masked=true key=37 fa 21 3d payload=7f 9f 4d 51 58
}
