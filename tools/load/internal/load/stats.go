package load

import (
	"fmt"
	"math"
	"sync/atomic"
	"time"

	"github.com/wsfromtcp/workshop/tools/internal/localserver"
)

// histogram counts latencies in buckets 2 % wide, from 1 µs to about
// 20 minutes, so that millions of deliveries cost a few kilobytes; the
// maximum is kept exactly. Safe for concurrent use.
type histogram struct {
	buckets [histBuckets]atomic.Int64
	max     atomic.Int64 // nanoseconds
}

const (
	histStep    = 1.02
	histBuckets = 1100
)

func bucketOf(d time.Duration) int {
	us := float64(d) / float64(time.Microsecond)
	i := int(math.Log(us+1) / math.Log(histStep))
	return min(max(i, 0), histBuckets-1)
}

func (h *histogram) add(d time.Duration) {
	d = max(d, 0)
	h.buckets[bucketOf(d)].Add(1)
	for {
		m := h.max.Load()
		if int64(d) <= m || h.max.CompareAndSwap(m, int64(d)) {
			return
		}
	}
}

func (h *histogram) count() int64 {
	var n int64
	for i := range h.buckets {
		n += h.buckets[i].Load()
	}
	return n
}

// quantile is the latency that a fraction q of the deliveries did not
// exceed: the upper edge of its bucket, never above the maximum.
func (h *histogram) quantile(q float64) time.Duration {
	n := h.count()
	if n == 0 {
		return 0
	}
	rank := int64(math.Ceil(q * float64(n)))
	var seen int64
	for i := range h.buckets {
		if seen += h.buckets[i].Load(); seen >= max(rank, 1) {
			upper := time.Duration((math.Pow(histStep, float64(i+1)) - 1) * float64(time.Microsecond))
			return min(upper, time.Duration(h.max.Load()))
		}
	}
	return time.Duration(h.max.Load())
}

// rss reads a process's resident set size (VmRSS), in bytes.
func rss(pid int) (int64, error) {
	m, err := localserver.ReadMemory(pid)
	if err != nil {
		return 0, fmt.Errorf("PID=%d: cannot read the server's memory: %w", pid, err)
	}
	return m.RSS, nil
}

// sampleRSS samples the process's memory every second until stop is
// closed, and returns the first sample and the highest.
func sampleRSS(pid int, stop <-chan struct{}) (first, peak int64) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		if n, err := rss(pid); err == nil {
			if first == 0 {
				first = n
			}
			peak = max(peak, n)
		}
		select {
		case <-stop:
			return first, peak
		case <-tick.C:
		}
	}
}
