package control

import (
	"fmt"
)

// A close frame's payload, as RFC 6455 §5.5.1 lays it out, read and
// written.
func ExampleParseClose() {
	code, reason, err := ParseClose([]byte{0x03, 0xe9, 'b', 'y', 'e'})
	fmt.Println(code, reason, err)

	code, _, _ = ParseClose(nil)
	fmt.Println(code)

	_, _, err = ParseClose([]byte{0x03, 0xee})
	fmt.Println(err)
	// Output:
	// 1001 going away bye <nil>
	// 1005 no status received
	// control: malformed close payload: status code 1006 may not be sent in a close frame (RFC 6455 §7.4)
}

func ExampleClosePayload() {
	fmt.Printf("% x\n", ClosePayload(StatusGoingAway, "bye"))
	fmt.Printf("%d bytes\n", len(ClosePayload(StatusNormalClosure, fmt.Sprint(make([]int, 100)))))
	// Output:
	// 03 e9 62 79 65
	// 125 bytes
}
