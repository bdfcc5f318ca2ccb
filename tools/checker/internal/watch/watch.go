// Package watch calls a function whenever a .go file under a folder is
// saved. It polls modification times instead of using OS notifications,
// so that it needs nothing beyond the standard library and behaves the
// same on every system and editor (some editors save by renaming).
package watch

import (
	"context"
	"io/fs"
	"path/filepath"
	"strings"
	"time"
)

// snapshot maps each .go file to its size and modification time.
type snapshot map[string]fileState

type fileState struct {
	size int64
	mod  time.Time
}

func take(root string) snapshot {
	s := snapshot{}
	_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		if info, err := d.Info(); err == nil {
			s[path] = fileState{info.Size(), info.ModTime()}
		}
		return nil
	})
	return s
}

func (s snapshot) equal(o snapshot) bool {
	if len(s) != len(o) {
		return false
	}
	for k, v := range s {
		if o[k] != v {
			return false
		}
	}
	return true
}

// Loop looks at root every interval and calls changed once the .go files
// have stopped changing for debounce (an editor's save, or a burst of
// saves, gives one call). It returns when ctx ends.
func Loop(ctx context.Context, root string, interval, debounce time.Duration, changed func()) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	loop(ctx, root, tick.C, debounce, changed)
}

// loop is Loop driven by ticks, each carrying the time it stands for, so
// that a test can drive it without depending on the machine's speed.
func loop(ctx context.Context, root string, ticks <-chan time.Time, debounce time.Duration, changed func()) {
	last := take(root)
	var quietSince time.Time // zero while nothing is pending
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-ticks:
			cur := take(root)
			if !cur.equal(last) {
				last, quietSince = cur, now
				continue
			}
			if !quietSince.IsZero() && now.Sub(quietSince) >= debounce {
				quietSince = time.Time{}
				changed()
			}
		}
	}
}
