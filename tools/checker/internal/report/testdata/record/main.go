// Command record rewrites the event streams under report/testdata from
// real runs, the way the checker makes them: each check of a scenario runs
// in a process of its own, `go test -json` on the reference solution with
// the step's tests and a learner's bug put in through -overlay. Paths are
// then written as a learner's (steps/ under /home/learner/workshop), so the
// golden output does not depend on where the repository was cloned.
//
//	go run ./tools/checker/internal/report/testdata/record [scenario…]
//
// Run it from the repository's root after changing a step test or the
// wstest assertions, then `go test ./tools/checker/internal/report -update`
// and review the golden files' diff.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/wsfromtcp/workshop/tools/course"
)

// A scenario is one recorded run: the step, the checks, and the learner's
// code (the reference with edits, a catalogued bug, or the stub).
type scenario struct {
	dir    string
	step   int
	stub   bool          // run the untouched stub in steps/ instead of the reference
	bug    string        // a catalogued bug, by name
	edits  []course.Edit // or edits of the step's solution files
	tests  []string      // the checks to record; all of the step's when empty
	edited string        // a test file replaced by the learner (file, find, replace in tests)
	tEdit  course.Edit
	hang   time.Duration // stop the test with SIGQUIT after this long, as the checker's watchdog does
}

var scenarios = []scenario{
	{dir: "stub", step: 1, stub: true},
	{dir: "solution", step: 1},
	{dir: "closehang", step: 1, bug: "close-leaves-connections-open"},
	// Later steps: subtests, an Example, a TODO panic, a hang, a skip and
	// a fuzz target's failing seed, each as a learner would meet it.
	{dir: "later/subtests", step: 4, bug: "length-126-in-16-bits-refused", tests: []string{"TestReadHeaderDecodesEachLengthForm"}},
	{dir: "later/example", step: 8, tests: []string{"ExampleParseClose"},
		edits: []course.Edit{{File: "close.go", Find: "if !code.ValidOnWire() {", Replace: "if false {"}}},
	{dir: "later/panic", step: 7, stub: true, tests: []string{"TestNextJoinsAMessageSentInThreeFragments"}},
	{dir: "later/hang", step: 7, tests: []string{"TestNextReturnsAnUnfragmentedMessage"}, hang: 5 * time.Second,
		edits: []course.Edit{{File: "read.go", Find: "func (r *Reader) Next() (msg *Message, ctrl *frame.Frame, err error) {", Replace: "func (r *Reader) Next() (msg *Message, ctrl *frame.Frame, err error) {\n\tfor r != nil {\n\t}"}}},
	{dir: "later/skip", step: 5, tests: []string{"TestWriteFrameProducesTheRFCExamples"},
		edited: "write_test.go", tEdit: course.Edit{Find: "func TestWriteFrameProducesTheRFCExamples(t *testing.T) {", Replace: "func TestWriteFrameProducesTheRFCExamples(t *testing.T) {\n\tt.Skip(\"not today\")"}},
	// A check tied to a requirement of RFC 6455 quotes it under its ✗.
	{dir: "later/unmasked", step: 6, bug: "unmasked-frame-accepted", tests: []string{"TestReadClientFrameRejectsAnUnmaskedFrame"}},
	{dir: "later/fuzz", step: 8, tests: []string{"FuzzParseClose"},
		edits: []course.Edit{{File: "close.go", Find: "if !utf8.Valid(reason) {", Replace: "if false {"}}},
}

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "record:", err)
		os.Exit(1)
	}
}

func run(only []string) error {
	root, err := course.Root()
	if err != nil {
		return err
	}
	c, err := course.Load()
	if err != nil {
		return err
	}
	bugs, err := c.Bugs()
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "record-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	base := filepath.Join(work, "overlay.json")
	if out, err := exec.Command("go", "run", "./tools/checker", "overlay", base).CombinedOutput(); err != nil {
		return fmt.Errorf("writing the overlay: %v\n%s", err, out)
	}
	for _, sc := range scenarios {
		if len(only) > 0 && !slices.Contains(only, sc.dir) {
			continue
		}
		step, ok := c.Step(sc.step)
		if !ok {
			return fmt.Errorf("%s: no step %d", sc.dir, sc.step)
		}
		if sc.bug != "" {
			i := slices.IndexFunc(bugs, func(b course.Bug) bool { return b.Name == sc.bug })
			if i < 0 {
				return fmt.Errorf("%s: no bug %q in the catalogue", sc.dir, sc.bug)
			}
			sc.edits = bugs[i].Edits
		}
		if err := record(root, work, base, step, sc); err != nil {
			return fmt.Errorf("%s: %w", sc.dir, err)
		}
		fmt.Println("recorded", sc.dir)
	}
	return nil
}

func record(root, work, base string, step course.Step, sc scenario) error {
	var ov struct{ Replace map[string]string }
	data, err := os.ReadFile(base)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, &ov); err != nil {
		return err
	}
	tree := "solutions"
	if sc.stub {
		tree, ov.Replace = "steps", map[string]string{}
	}
	dir := filepath.Join(root, tree, step.Slug)
	edit := func(path string, edits []course.Edit) error {
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		text := string(src)
		for _, e := range edits {
			if text, err = e.Apply(text); err != nil {
				return err
			}
		}
		copyPath := filepath.Join(work, sc.dir, filepath.Base(path))
		if err := os.MkdirAll(filepath.Dir(copyPath), 0o755); err != nil {
			return err
		}
		ov.Replace[path] = copyPath
		return os.WriteFile(copyPath, []byte(text), 0o644)
	}
	byFile := map[string][]course.Edit{}
	for _, e := range sc.edits {
		byFile[e.File] = append(byFile[e.File], e)
	}
	for file, edits := range byFile {
		if err := edit(filepath.Join(dir, file), edits); err != nil {
			return err
		}
	}
	if sc.edited != "" {
		// The learner's test file: the overlay's copy when there is one.
		path := filepath.Join(dir, sc.edited)
		from := path
		if p, ok := ov.Replace[path]; ok {
			from = p
		}
		src, err := os.ReadFile(from)
		if err != nil {
			return err
		}
		text, err := sc.tEdit.Apply(string(src))
		if err != nil {
			return err
		}
		copyPath := filepath.Join(work, sc.dir, "test-"+sc.edited)
		if err := os.MkdirAll(filepath.Dir(copyPath), 0o755); err != nil {
			return err
		}
		ov.Replace[path] = copyPath
		if err := os.WriteFile(copyPath, []byte(text), 0o644); err != nil {
			return err
		}
	}
	ovPath := filepath.Join(work, strings.ReplaceAll(sc.dir, "/", "-")+".json")
	data, err = json.Marshal(ov)
	if err != nil {
		return err
	}
	if err := os.WriteFile(ovPath, data, 0o644); err != nil {
		return err
	}
	bin := filepath.Join(work, strings.ReplaceAll(sc.dir, "/", "-")+".test")
	pkg := "./" + tree + "/" + step.Slug
	if out, err := exec.Command("go", "test", "-c", "-o", bin, "-overlay", ovPath, pkg).CombinedOutput(); err != nil {
		return fmt.Errorf("building %s: %v\n%s", pkg, err, out)
	}
	tests := sc.tests
	if len(tests) == 0 {
		out, err := exec.Command(bin, "-test.list", ".").Output()
		if err != nil {
			return err
		}
		tests = strings.Fields(string(out))
	}
	outDir := filepath.Join(root, "tools/checker/internal/report/testdata", sc.dir)
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return err
	}
	for _, name := range tests {
		events, err := runOne(bin, "github.com/wsfromtcp/workshop/"+tree+"/"+step.Slug, name, sc.hang)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		events = asLearners(events, root)
		if err := os.WriteFile(filepath.Join(outDir, name+".jsonl"), events, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// runOne runs one check in a process of its own, as the checker does,
// through test2json; after hang, it sends SIGQUIT, as the watchdog does.
func runOne(bin, pkg, name string, hang time.Duration) ([]byte, error) {
	t := exec.Command(bin, "-test.v=test2json", "-test.run", "^"+name+"$", "-test.count=1", "-test.paniconexit0")
	conv := exec.Command("go", "tool", "test2json", "-t", "-p", pkg)
	pipe, err := t.StdoutPipe()
	if err != nil {
		return nil, err
	}
	t.Stderr = t.Stdout
	conv.Stdin = pipe
	var out bytes.Buffer
	conv.Stdout = &out
	if err := conv.Start(); err != nil {
		return nil, err
	}
	if err := t.Start(); err != nil {
		return nil, err
	}
	if hang > 0 {
		timer := time.AfterFunc(hang, func() { t.Process.Signal(syscall.SIGQUIT) })
		defer timer.Stop()
	}
	_ = t.Wait() // a failing check exits non-zero: that is what is recorded
	if err := conv.Wait(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// asLearners writes paths and packages as a learner's run in steps/ would
// show them.
func asLearners(events []byte, root string) []byte {
	s := string(events)
	s = strings.ReplaceAll(s, root+"/", "/home/learner/workshop/")
	s = strings.ReplaceAll(s, "/home/learner/workshop/solutions/", "/home/learner/workshop/steps/")
	s = strings.ReplaceAll(s, "github.com/wsfromtcp/workshop/solutions/", "github.com/wsfromtcp/workshop/steps/")
	return []byte(s)
}
