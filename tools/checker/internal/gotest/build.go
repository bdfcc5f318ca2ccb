package gotest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Binary is a compiled test binary for one package.
type Binary struct {
	Path       string // the executable
	Dir        string // the package folder, where the tests run
	ImportPath string
}

// Build compiles the test binary of the package in dir (relative to the
// module root root) into tmp, like `go test -c -json`. With overlay set, it
// is passed to -overlay. When the package does not compile it returns the
// build events and a nil Binary.
func Build(ctx context.Context, root, dir, overlay, tmp string) (*Binary, []Event, error) {
	out := filepath.Join(tmp, strings.ReplaceAll(dir, "/", "_")+".test")
	if !filepath.IsAbs(out) {
		out = filepath.Join(root, out) // the go command runs in root; the binary runs elsewhere
	}
	args := []string{"test", "-c", "-json", "-o", out}
	if overlay != "" {
		args = append(args, "-overlay", overlay)
	}
	args = append(args, "./"+dir)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = root
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	events, err := Decode(&stdout)
	if err != nil {
		return nil, nil, fmt.Errorf("gotest: reading build events: %w", err)
	}
	for _, line := range strings.SplitAfter(stderr.String(), "\n") {
		if line != "" {
			events = append(events, Event{Action: BuildOutput, Output: line})
		}
	}
	if runErr != nil {
		if ctx.Err() != nil {
			return nil, events, fmt.Errorf("gotest: building %s took too long: %w", dir, ctx.Err())
		}
		return nil, events, nil
	}
	bin := &Binary{Path: out, Dir: filepath.Join(root, dir), ImportPath: importPath(events)}
	if _, err := os.Stat(out); errors.Is(err, os.ErrNotExist) {
		bin.Path = "" // go test -c writes nothing for a package without tests
	}
	return bin, events, nil
}

func importPath(events []Event) string {
	for _, e := range events {
		if e.ImportPath != "" {
			p, _, _ := strings.Cut(e.ImportPath, " ")
			return p
		}
	}
	return ""
}

// List returns the names of the tests, examples and fuzz targets in the
// binary, in source order. Benchmarks are left out: they measure, they do
// not grade.
func (b *Binary) List(ctx context.Context) ([]string, error) {
	if b.Path == "" {
		return nil, nil
	}
	cmd := exec.CommandContext(ctx, b.Path, "-test.list", ".")
	cmd.Dir = b.Dir
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("gotest: listing tests: %w", err)
	}
	var names []string
	for _, name := range strings.Fields(string(out)) {
		if !strings.HasPrefix(name, "Benchmark") {
			names = append(names, name)
		}
	}
	return names, nil
}
