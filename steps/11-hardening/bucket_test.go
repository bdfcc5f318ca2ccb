package hardening

import (
	"testing"
	"time"

	"github.com/wsfromtcp/workshop/tools/wstest/assert"
)

func TestBucketAllowsABurstThenTheRate(t *testing.T) {
	// The attack: one client says thing after thing as fast as it can,
	// and the room drowns. The fix: a token bucket per sender.
	const fix = " (a flooder drowns the room unless each sender has a token bucket: Rate frames a second, Burst at once; RFC 6455 §10.4)"
	b := NewBucket(2, 3) // 2 tokens a second, 3 at most
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 3 {
		assert.True(t, b.Allow(t0), "frame %d of a burst of 3: a full bucket allows Burst frames at once"+fix, i+1)
	}
	assert.False(t, b.Allow(t0), "the 4th frame at the same instant: the bucket is empty, the flooder must be stopped"+fix)
	assert.False(t, b.Allow(t0.Add(400*time.Millisecond)), "0.4 s at 2 a second is 0.8 of a token: not a whole one yet")
	assert.True(t, b.Allow(t0.Add(500*time.Millisecond)), "0.5 s at 2 a second gives one token back")
	assert.True(t, b.Allow(t0.Add(time.Second)), "another 0.5 s, another token")
	assert.True(t, b.Allow(t0.Add(time.Hour)), "after an hour of silence the bucket is full again...")
	assert.True(t, b.Allow(t0.Add(time.Hour)), "...")
	assert.True(t, b.Allow(t0.Add(time.Hour)), "...")
	assert.False(t, b.Allow(t0.Add(time.Hour)), "...but holds no more than Burst: a quiet hour must not save up a flood")
	assert.False(t, b.Allow(t0.Add(time.Hour-time.Minute)), "a time earlier than the last one gives nothing back")
}
