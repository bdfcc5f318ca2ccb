package hardening

import "time"

// Bucket is a token bucket: it holds up to burst tokens, gains rate tokens
// a second, and each frame a client sends takes one. A client that talks
// at a human pace never empties it; a flooder empties it within a burst.
// The zero Bucket allows nothing; use NewBucket. One goroutine uses it.
type Bucket struct {
	rate   float64   // tokens gained per second
	burst  float64   // most tokens held
	tokens float64   // tokens now
	last   time.Time // when tokens was counted; zero before the first Allow
}

// NewBucket returns a full bucket.
func NewBucket(rate float64, burst int) *Bucket {
	return &Bucket{rate: rate, burst: float64(burst), tokens: float64(burst)}
}

// Allow takes a token at time now and reports whether there was one. The
// tokens gained since the last call are added first, up to burst; a now
// earlier than the last call adds nothing.
func (b *Bucket) Allow(now time.Time) bool {
	if !b.last.IsZero() && now.After(b.last) {
		b.tokens = min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	}
	if b.last.IsZero() || now.After(b.last) {
		b.last = now
	}
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}
