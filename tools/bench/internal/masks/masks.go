// Package masks times masking, for make bench's masking table: each
// implementation is a small main in a folder of this one (yours, the
// reference, gorilla/websocket's) that hands Main a Timer, so that an
// implementation that does not build or panics (the learner's unfinished
// stub) fails alone, as the echo servers do.
package masks

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// Timer returns the time one masking of size bytes takes, in nanoseconds,
// measured for about d.
type Timer func(size int, d time.Duration) (float64, error)

// LineFormat is the line Main prints for each size, for fmt.Sscanf.
const LineFormat = "size=%d ns=%g\n"

// Main is a masking command: it reads the flags -sizes (bytes, comma
// separated) and -time (per size), and prints one LineFormat line per
// size. It exits with status 1 when timer fails.
func Main(timer Timer) {
	sizes := flag.String("sizes", "65536,1048576", "buffer sizes in bytes, comma separated")
	d := flag.Duration("time", 600*time.Millisecond, "how long to time each size")
	flag.Parse()
	if err := run(timer, *sizes, *d); err != nil {
		fmt.Fprintln(os.Stderr, "masks:", err)
		os.Exit(1)
	}
}

func run(timer Timer, sizes string, d time.Duration) error {
	for _, s := range strings.Split(sizes, ",") {
		size, err := strconv.Atoi(s)
		if err != nil || size <= 0 || size > 64<<20 {
			return fmt.Errorf("-sizes: %q is not a size from 1 byte to 64 MiB", s)
		}
		ns, err := timer(size, d)
		if err != nil {
			return fmt.Errorf("%d bytes: %w", size, err)
		}
		fmt.Printf(LineFormat, size, ns)
	}
	return nil
}

// rounds is how many rounds Best times.
const rounds = 7

// Best returns op's time per call in nanoseconds: the best of several
// rounds that last about d in all, since a machine shared with others only
// ever makes a round slower.
func Best(d time.Duration, op func()) float64 {
	op() // warm: the first call may fault pages in
	best := 0.0
	for range rounds {
		n, start := 0, time.Now()
		for time.Since(start) < d/rounds {
			for range 16 {
				op()
			}
			n += 16
		}
		if ns := float64(time.Since(start).Nanoseconds()) / float64(n); best == 0 || ns < best {
			best = ns
		}
	}
	return best
}

// Masking is the Timer of a masking function with the signature of step 6's
// Apply and step 12's Mask: it masks a buffer of size bytes in place with
// a fixed key, from key position 0.
func Masking(mask func(key [4]byte, pos int, b []byte) int) Timer {
	return func(size int, d time.Duration) (float64, error) {
		b := make([]byte, size)
		key := [4]byte{0x37, 0xfa, 0x21, 0x3d}
		if mask(key, 0, b[:5])%4 != 1 || b[0] != 0x37 || b[4] != 0x37 {
			return 0, errors.New("masking 5 zero bytes from position 0 should give the key's bytes and return position 5 (or 1: 5 mod 4)")
		}
		return Best(d, func() { mask(key, 0, b) }), nil
	}
}
