package performance

import (
	"fmt"
	"io"
	"testing"
	"time"

	frame "github.com/wsfromtcp/workshop/steps/04-frame-decode"
	"github.com/wsfromtcp/workshop/tools/wstest"
)

// BenchmarkMask compares Mask with the byte loop of RFC 6455 §5.3 on
// payloads of 1 KiB to 1 MiB; the MB/s column is the speed of masking.
//
//	go test -run NONE -bench Mask ./steps/12-performance
func BenchmarkMask(b *testing.B) {
	for _, size := range []int{1 << 10, 64 << 10, 1 << 20} {
		buf := wstest.Pattern(size)
		b.Run(fmt.Sprintf("Mask/%dKiB", size>>10), func(b *testing.B) {
			b.SetBytes(int64(size))
			for b.Loop() {
				Mask(key, 1, buf)
			}
		})
		b.Run(fmt.Sprintf("ByteLoop/%dKiB", size>>10), func(b *testing.B) {
			b.SetBytes(int64(size))
			for b.Loop() {
				maskBytes(key, 1, buf)
			}
		})
	}
}

// BenchmarkEchoRoundTrip measures one binary message through Echo and back
// over loopback TCP. The client is a few lines of raw TCP that send a frame
// built once and read the answer into a buffer made once, so that the
// allocs/op column is the server's alone.
//
//	go test -run NONE -bench EchoRoundTrip -benchmem ./steps/12-performance
func BenchmarkEchoRoundTrip(b *testing.B) {
	for _, size := range []int{16, 1 << 10, 64 << 10, 1 << 20} {
		b.Run(fmt.Sprintf("%dB", size), func(b *testing.B) {
			c, client := pair(b)
			go Echo(c)
			out := clientFrame(true, frame.OpBinary, wstest.Pattern(size), -1)
			in := make([]byte, len(out)) // a server frame is 4 bytes shorter: no key
			want := len(out) - 4
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				// Only a hang waits this long.
				_ = client.SetDeadline(time.Now().Add(wstest.Patience))
				if _, err := client.Write(out); err != nil {
					b.Fatal(err)
				}
				if _, err := io.ReadFull(client, in[:want]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
