package gotest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"
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

// Run runs the named top-level tests under test2json and returns their
// events. timeout is handed to the binary's -test.timeout, which makes a
// hung test panic with "test timed out"; the process is killed a little
// later if even that does not end it.
func (b *Binary) Run(ctx context.Context, names []string, timeout time.Duration, extraEnv ...string) ([]Event, error) {
	t2j, err := test2json(ctx)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, timeout+5*time.Second)
	defer cancel()
	args := []string{"-t", "-p", b.ImportPath, b.Path,
		"-test.v=test2json",
		"-test.timeout=" + timeout.String(),
		"-test.count=1",
		"-test.run=" + RunPattern(names),
	}
	cmd := exec.CommandContext(ctx, t2j, args...)
	cmd.Dir = b.Dir
	cmd.Env = append(os.Environ(), extraEnv...)
	cmd.WaitDelay = time.Second
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stdout
	runErr := cmd.Run()
	events, err := Decode(&stdout)
	if err != nil {
		return nil, fmt.Errorf("gotest: reading test events: %w", err)
	}
	var exitErr *exec.ExitError
	if runErr != nil && !errors.As(runErr, &exitErr) {
		return events, fmt.Errorf("gotest: running %s: %w", b.ImportPath, runErr)
	}
	return events, nil
}

// RunPattern is the -test.run pattern that selects exactly the named
// top-level tests, with all their subtests.
func RunPattern(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = regexp.QuoteMeta(n)
	}
	return "^(" + strings.Join(quoted, "|") + ")$"
}

var (
	test2jsonOnce sync.Once
	test2jsonPath string
	test2jsonErr  error
)

// FindTest2JSON starts looking for the test2json tool in the background, so
// that the lookup (a go command of its own) overlaps the build instead of
// following it; Run then finds the answer ready.
func FindTest2JSON(ctx context.Context) {
	go func() { _, _ = test2json(ctx) }()
}

// test2json finds the go command's test2json tool once: `go tool -n` prints
// its path, so that each run starts the tool directly instead of paying for
// a go command every time.
func test2json(ctx context.Context) (string, error) {
	test2jsonOnce.Do(func() {
		out, err := exec.CommandContext(ctx, "go", "tool", "-n", "test2json").Output()
		if err != nil {
			test2jsonErr = fmt.Errorf("gotest: finding test2json: %w", err)
			return
		}
		test2jsonPath = strings.TrimSpace(string(out))
	})
	return test2jsonPath, test2jsonErr
}

// Overlay writes a `go build -overlay` file that places every test file of
// each step folder into the matching solution folder, so that the tests
// written once next to the learner's stub also run against the reference
// solution. A test may import an earlier step's package (step 5's tests use
// step 4's frame.Header); in the copy, such imports point at solutions/, so
// that a solution is never graded with a learner's code. Line numbers stay
// the same. It returns the overlay file's path.
func Overlay(root, tmp, module string, slugs []string) (string, error) {
	replace := map[string]string{}
	stepsImport := []byte(`"` + module + "/steps/")
	solutionsImport := []byte(`"` + module + "/solutions/")
	for _, slug := range slugs {
		tests, err := filepath.Glob(filepath.Join(root, "steps", slug, "*_test.go"))
		if err != nil {
			return "", err
		}
		for _, src := range tests {
			data, err := os.ReadFile(src)
			if err != nil {
				return "", err
			}
			copyPath := filepath.Join(tmp, "overlay", slug, filepath.Base(src))
			if err := os.MkdirAll(filepath.Dir(copyPath), 0o755); err != nil {
				return "", err
			}
			data = bytes.ReplaceAll(data, stepsImport, solutionsImport)
			if err := os.WriteFile(copyPath, data, 0o644); err != nil {
				return "", err
			}
			replace[filepath.Join(root, "solutions", slug, filepath.Base(src))] = copyPath
		}
	}
	data, err := json.Marshal(struct{ Replace map[string]string }{replace})
	if err != nil {
		return "", err
	}
	path := filepath.Join(tmp, "overlay.json")
	return path, os.WriteFile(path, data, 0o644)
}
