package control

import (
	"errors"
	"fmt"
)

// A close frame's payload, as RFC 6455 §5.5.1 lays it out, read and
// written.
func ExampleParseClose() {
	code, reason, err := ParseClose([]byte{0x03, 0xe9, 'b', 'y', 'e'})
	fmt.Println(code, reason, err)

	code, _, _ = ParseClose(nil)
	fmt.Println(code)

	// 1006 may never be sent: a close frame that carries it is malformed.
	_, _, err = ParseClose([]byte{0x03, 0xee})
	fmt.Println(errors.Is(err, ErrClosePayload))
	// Output:
	// 1001 going away bye <nil>
	// 1005 no status received
	// true
}

func ExampleClosePayload() {
	fmt.Printf("% x\n", ClosePayload(StatusGoingAway, "bye"))
	fmt.Printf("%d bytes\n", len(ClosePayload(StatusNormalClosure, fmt.Sprint(make([]int, 100)))))
	// Output:
	// 03 e9 62 79 65
	// 125 bytes
}
