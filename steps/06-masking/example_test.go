package mask

import "fmt"

// Unmasking the payload of the masked "Hello" of RFC 6455 §5.7 in two
// pieces, as if it had arrived in two reads.
func ExampleApply() {
	key := [4]byte{0x37, 0xfa, 0x21, 0x3d}
	payload := []byte{0x7f, 0x9f, 0x4d, 0x51, 0x58}

	pos := Apply(key, 0, payload[:2])  // "He", key bytes 0 and 1
	pos = Apply(key, pos, payload[2:]) // "llo", from key byte 2 on
	fmt.Println(string(payload), pos)
	// Output: Hello 5
}
