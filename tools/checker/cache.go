package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"github.com/wsfromtcp/workshop/tools/checker/internal/grade"
	"github.com/wsfromtcp/workshop/tools/checker/internal/layout"
	"github.com/wsfromtcp/workshop/tools/course"
)

// verdictCache keeps the grades of earlier steps, graded to explain a
// failure, by a hash of every source file they are built from: a failing
// step graded again and again while the learner works on it need not
// grade the unchanged earlier steps each time. It lives in the learner's
// local state, .workshop/cache.json.
type verdictCache struct {
	path string
	mu   sync.Mutex
	m    map[string]cachedVerdict
}

type cachedVerdict struct {
	Passed int  `json:"passed"`
	Total  int  `json:"total"`
	Builds bool `json:"builds"`
}

func (e *environment) cache() *verdictCache {
	e.cacheOnce.Do(func() {
		c := &verdictCache{path: e.layout.Path(".workshop", "cache.json"), m: map[string]cachedVerdict{}}
		if data, err := os.ReadFile(c.path); err == nil {
			_ = json.Unmarshal(data, &c.m) // a damaged cache is an empty one
		}
		e.verdicts = c
	})
	return e.verdicts
}

// testHelpers is the folder of the test helpers that every step's tests
// use, with its packages below it (assert, require, …).
const testHelpers = "tools/wstest"

// key hashes the sources a step's tests are built from: its folder, the
// folders of the steps it needs, every package of the shared test helpers,
// and go.mod and go.sum.
func (e *environment) key(s course.Step) (string, error) {
	dirs := []string{layout.Dir(layout.Steps, s.Slug)}
	for _, n := range s.Needs {
		dep, _ := e.course.Step(n)
		dirs = append(dirs, layout.Dir(layout.Steps, dep.Slug))
	}
	err := filepath.WalkDir(e.layout.Path(testHelpers), func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			rel, _ := filepath.Rel(e.layout.Root, path)
			dirs = append(dirs, rel)
		}
		return err
	})
	if err != nil {
		return "", err
	}
	h := sha256.New()
	var files []string
	for _, d := range dirs {
		names, err := layout.GoFiles(e.layout.Path(d), layout.Code|layout.Tests)
		if err != nil {
			return "", err
		}
		for _, n := range names {
			files = append(files, filepath.Join(d, n))
		}
	}
	files = append(files, "go.sum", "go.mod")
	sort.Strings(files)
	for _, f := range files {
		data, err := os.ReadFile(e.layout.Path(f))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		h.Write([]byte(f + "\x00"))
		h.Write(data)
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func (c *verdictCache) get(key string) (grade.Dependency, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[key]
	return grade.Dependency{Passed: v.Passed, Total: v.Total, Builds: v.Builds}, ok
}

// put keeps a verdict that was judged in full, and saves the cache.
func (c *verdictCache) put(key string, d grade.Dependency) {
	if d.NotJudged > 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[key] = cachedVerdict{Passed: d.Passed, Total: d.Total, Builds: d.Builds}
	if len(c.m) > 200 { // a cache, not a history
		clear(c.m)
		c.m[key] = cachedVerdict{Passed: d.Passed, Total: d.Total, Builds: d.Builds}
	}
	data, err := json.Marshal(c.m)
	if err == nil && os.MkdirAll(filepath.Dir(c.path), 0o755) == nil {
		tmp := c.path + ".tmp"
		if os.WriteFile(tmp, data, 0o644) == nil {
			_ = os.Rename(tmp, c.path)
		}
	}
}
