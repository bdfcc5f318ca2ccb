package watch

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLoopCallsOnceForABurstOfSaves drives the loop with ticks of its own
// making: the test says what time each look stands for, so the verdict
// does not depend on how fast the machine is.
func TestLoopCallsOnceForABurstOfSaves(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "step", "server.go")
	require.NoError(t, os.MkdirAll(filepath.Dir(file), 0o755))
	require.NoError(t, os.WriteFile(file, []byte("package x\n"), 0o644))

	calls := 0
	ctx, cancel := context.WithCancel(context.Background())
	ticks := make(chan time.Time) // unbuffered: a tick is taken only once the one before is handled
	done := make(chan struct{})
	go func() {
		defer close(done)
		loop(ctx, dir, ticks, 80*time.Millisecond, func() { calls++ })
	}()
	now := time.Unix(0, 0)
	look := func(after time.Duration) {
		now = now.Add(after)
		ticks <- now
		ticks <- now // the second is taken only when the first was handled
	}

	look(time.Second)
	assert.Zero(t, calls, "nothing was saved yet, so nothing may be graded")

	for i := range 5 { // an editor saving several times in quick succession
		require.NoError(t, os.WriteFile(file, []byte("package x\n"+string(rune('a'+i))+"\n"), 0o644))
		look(15 * time.Millisecond)
	}
	assert.Zero(t, calls, "no grading while the files are still changing")
	look(100 * time.Millisecond)
	assert.Equal(t, 1, calls, "a burst of saves must lead to exactly one grading, once the files are quiet")
	look(time.Second)
	assert.Equal(t, 1, calls, "no further grading without a further save")

	// A file that is not Go changes nothing.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o644))
	look(time.Second)
	look(time.Second)
	assert.Equal(t, 1, calls, "only .go files trigger grading")

	// A new Go file does.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "step", "helper.go"), []byte("package x\n"), 0o644))
	look(10 * time.Millisecond)
	look(100 * time.Millisecond)
	assert.Equal(t, 2, calls, "adding a .go file is a change")

	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the loop did not return after its context ended: Ctrl-C must end watch mode")
	}
}

func TestLoopReturnsWhenItsContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		Loop(ctx, t.TempDir(), time.Millisecond, time.Millisecond, func() {})
	}()
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Loop did not return after its context ended: Ctrl-C must end watch mode")
	}
}
