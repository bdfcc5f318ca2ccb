// Command manifest writes tools/course/checks.json, the list of the
// workshop's test files that the checker compares a learner's steps with
// (see package tamper). Run it from anywhere in the repository after
// changing a step's tests: make checks-manifest.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/wsfromtcp/workshop/tools/checker/internal/layout"
	"github.com/wsfromtcp/workshop/tools/checker/internal/tamper"
	"github.com/wsfromtcp/workshop/tools/course"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "manifest:", err)
		os.Exit(1)
	}
}

func run() error {
	l, err := layout.Find()
	if err != nil {
		return err
	}
	root := l.Root
	c, err := course.Load()
	if err != nil {
		return err
	}
	slugs := make([]string, len(c.Steps))
	for i, s := range c.Steps {
		slugs[i] = s.Slug
	}
	m, err := tamper.Build(root, slugs)
	if err != nil {
		return err
	}
	if err := m.Write(root); err != nil {
		return err
	}
	n := 0
	for _, s := range m.Steps {
		n += len(s.Files)
	}
	fmt.Printf("wrote %s: %d test files of %d steps\n", filepath.ToSlash(tamper.ManifestPath), n, len(m.Steps))
	return nil
}
