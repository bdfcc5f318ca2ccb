package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/wsfromtcp/workshop/tools/checker/internal/gotest"
	"github.com/wsfromtcp/workshop/tools/checker/internal/report"
	"github.com/wsfromtcp/workshop/tools/course"
)

// A sample is checker output that the README shows: a real run, made by
// `checker samples` (make readme-samples) and verified by `checker samples
// -check` (make test), so that the README cannot drift from what the
// checker prints. In README.md a sample stands between the lines
// "<!-- sample NAME -->" and "<!-- /sample -->".
type sample struct {
	name    string
	command string // as the learner types it
	// learner is code put in place of the learner's steps for the run:
	// the reference solution of each step, with the named catalogued bugs
	// applied. Nothing on disk changes.
	learner map[int][]string
	run     func(e *environment, ctx context.Context) error
}

var samples = []sample{
	{
		name:    "step1",
		command: "make step1",
		learner: map[int][]string{1: {"handler-served-inline", "close-leaves-connections-open", "close-does-not-wait"}},
		run: func(e *environment, ctx context.Context) error {
			_, err := e.step(ctx, []string{"1"})
			return err
		},
	},
	{
		name:    "progress",
		command: "make progress",
		learner: map[int][]string{1: nil},
		run: func(e *environment, ctx context.Context) error {
			_, err := e.progress(ctx)
			return err
		},
	},
}

// volatile matches what changes from run to run: ports and times.
var volatile = regexp.MustCompile(`127\.0\.0\.1:\d+|\d+(\.\d+)?(ms|µs|s)\b`)

func (e *environment) samples(ctx context.Context, args []string) (int, error) {
	fs := flag.NewFlagSet("samples", flag.ContinueOnError)
	check := fs.Bool("check", false, "only check that README.md shows what the checker prints now")
	if err := fs.Parse(args); err != nil {
		return 2, err
	}
	readmePath := filepath.Join(e.root, "README.md")
	data, err := os.ReadFile(readmePath)
	if err != nil {
		return 2, err
	}
	readme := string(data)
	stale := 0
	for _, sm := range samples {
		out, err := e.runSample(ctx, sm)
		if err != nil {
			return 2, fmt.Errorf("sample %s: %w", sm.name, err)
		}
		block := "```text\n$ " + sm.command + "\n" + out + "```\n"
		open, end := "<!-- sample "+sm.name+" -->\n", "<!-- /sample -->"
		i := strings.Index(readme, open)
		j := strings.Index(readme[max(i, 0):], end)
		if i < 0 || j < 0 {
			return 2, fmt.Errorf("README.md has no sample %q: put %q and %q around it", sm.name, strings.TrimSpace(open), end)
		}
		j += i
		old := readme[i+len(open) : j]
		if volatile.ReplaceAllString(old, "…") == volatile.ReplaceAllString(block, "…") {
			continue
		}
		stale++
		if *check {
			fmt.Fprintf(e.out, "README.md's sample of %q is not what the checker prints now; run make readme-samples and review the diff.\n", sm.command)
			continue
		}
		readme = readme[:i+len(open)] + block + readme[j:]
	}
	switch {
	case *check && stale > 0:
		return 1, nil
	case *check:
		fmt.Fprintf(e.out, "README.md's %d samples are what the checker prints.\n", len(samples))
		return 0, nil
	case stale == 0:
		fmt.Fprintln(e.out, "README.md's samples are up to date.")
		return 0, nil
	}
	fmt.Fprintf(e.out, "Rewrote %d samples in README.md.\n", stale)
	return 0, os.WriteFile(readmePath, []byte(readme), 0o644)
}

// runSample runs a sample's command with its learner code in place and
// returns what it printed, without colour.
func (e *environment) runSample(ctx context.Context, sm sample) (string, error) {
	work := filepath.Join(e.work, "sample-"+sm.name)
	replace := map[string]string{}
	for n, bugNames := range sm.learner {
		s, ok := e.course.Step(n)
		if !ok {
			return "", fmt.Errorf("no step %d", n)
		}
		swap, err := e.workspace().SwapOverlay(work, []string{s.Dir()}, []string{s.SolutionDir()})
		if err != nil {
			return "", err
		}
		if err := applyBugs(e.course, s, bugNames, swap, e.root); err != nil {
			return "", err
		}
		for k, v := range swap {
			replace[k] = v
		}
	}
	overlay := filepath.Join(work, "overlay.json")
	if err := gotest.WriteOverlay(overlay, replace); err != nil {
		return "", err
	}
	var buf bytes.Buffer
	sub := &environment{root: e.root, course: e.course, tmp: e.tmp, work: work, out: &buf, learnerOverlay: overlay,
		printer: report.Printer{W: &buf, Course: e.course}}
	err := sm.run(sub, ctx)
	return buf.String(), err
}

// applyBugs makes the catalogued bugs' edits in the copies that swap puts
// in place of step s's files.
func applyBugs(c course.Course, s course.Step, names []string, swap map[string]string, root string) error {
	all, err := c.Bugs()
	if err != nil {
		return err
	}
	for _, name := range names {
		i := slices.IndexFunc(all, func(b course.Bug) bool { return b.Name == name })
		if i < 0 {
			return errors.New("the bug catalogue has no bug " + name)
		}
		files := map[string]string{} // the copies the bug edits, by name
		for _, ed := range all[i].Edits {
			data, err := os.ReadFile(swap[filepath.Join(root, s.Dir(), ed.File)])
			if err != nil {
				return fmt.Errorf("bug %s edits %s: %w", name, ed.File, err)
			}
			files[ed.File] = string(data)
		}
		if err := all[i].Apply(files); err != nil {
			return err
		}
		for file, text := range files {
			if err := gotest.WriteFile(swap[filepath.Join(root, s.Dir(), file)], []byte(text)); err != nil {
				return err
			}
		}
	}
	return nil
}
