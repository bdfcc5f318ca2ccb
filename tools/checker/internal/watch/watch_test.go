package watch

import (
	"context"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoopCallsOnceForABurstOfSaves(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "step", "server.go")
	require.NoError(t, os.MkdirAll(filepath.Dir(file), 0o755))
	require.NoError(t, os.WriteFile(file, []byte("package x\n"), 0o644))

	var calls atomic.Int32
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		Loop(ctx, dir, 10*time.Millisecond, 80*time.Millisecond, func() { calls.Add(1) })
	}()

	time.Sleep(50 * time.Millisecond)
	assert.Zero(t, calls.Load(), "nothing was saved yet, so nothing may be graded")

	for i := range 5 { // an editor saving several times in quick succession
		require.NoError(t, os.WriteFile(file, []byte("package x\n"+string(rune('a'+i))+"\n"), 0o644))
		time.Sleep(15 * time.Millisecond)
	}
	require.Eventually(t, func() bool { return calls.Load() == 1 }, 2*time.Second, 10*time.Millisecond,
		"a burst of saves must lead to exactly one grading, once the files are quiet")
	time.Sleep(200 * time.Millisecond)
	assert.Equal(t, int32(1), calls.Load(), "no further grading without a further save")

	// A file that is not Go changes nothing.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o644))
	time.Sleep(200 * time.Millisecond)
	assert.Equal(t, int32(1), calls.Load(), "only .go files trigger grading")

	// A new Go file does.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "step", "helper.go"), []byte("package x\n"), 0o644))
	require.Eventually(t, func() bool { return calls.Load() == 2 }, 2*time.Second, 10*time.Millisecond,
		"adding a .go file is a change")

	cancel()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("Loop did not return after its context ended: Ctrl-C must end watch mode")
	}
}
