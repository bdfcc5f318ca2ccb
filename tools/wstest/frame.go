package wstest

import (
	"encoding/binary"
	"fmt"
	"io"
)

// ReadServerFrame reads one frame as a server sends it, unmasked (RFC 6455
// §5.1, §5.2), and returns its opcode and payload; FIN and the RSV bits are
// not judged. A frame announcing more than max bytes is an error before
// anything is allocated: a test or an attacker must not let the server
// under test make it allocate either.
func ReadServerFrame(r io.Reader, max uint64) (op byte, payload []byte, err error) {
	var h [2]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return 0, nil, err
	}
	n := uint64(h[1] & 0x7f)
	switch n {
	case 126:
		var b [2]byte
		_, err = io.ReadFull(r, b[:])
		n = uint64(binary.BigEndian.Uint16(b[:]))
	case 127:
		var b [8]byte
		_, err = io.ReadFull(r, b[:])
		n = binary.BigEndian.Uint64(b[:])
	}
	if err != nil {
		return 0, nil, err
	}
	if n > max {
		return 0, nil, fmt.Errorf("a server frame of %d bytes, more than the %d expected", n, max)
	}
	payload = make([]byte, n)
	_, err = io.ReadFull(r, payload)
	return h[0] & 0x0f, payload, err
}
