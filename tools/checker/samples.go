package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/wsfromtcp/workshop/tools/checker/internal/layout"
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
			_, err := e.progress(ctx, nil)
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
	readmePath := filepath.Join(e.layout.Root, "README.md")
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
			e.printer.SampleStale(sm.command)
			continue
		}
		readme = readme[:i+len(open)] + block + readme[j:]
	}
	e.printer.Samples(len(samples), stale, *check)
	switch {
	case *check && stale > 0:
		return 1, nil
	case *check, stale == 0:
		return 0, nil
	}
	return 0, os.WriteFile(readmePath, []byte(readme), 0o644)
}

// runSample runs a sample's command with its learner code in place and
// returns what it printed, without colour.
func (e *environment) runSample(ctx context.Context, sm sample) (string, error) {
	work := filepath.Join(e.work, "sample-"+sm.name)
	o := layout.Overlay{}
	for n, bugNames := range sm.learner {
		s, ok := e.course.Step(n)
		if !ok {
			return "", fmt.Errorf("no step %d", n)
		}
		swap, err := e.layout.SwapReference(work, []string{s.Slug})
		if err != nil {
			return "", err
		}
		// The bugs are made in the copies that swap puts in place.
		copyOf := func(name string) string { return swap[e.layout.Path(layout.Dir(layout.Steps, s.Slug), name)] }
		for _, name := range bugNames {
			b, err := e.bug(name)
			if err != nil {
				return "", err
			}
			if err := applyBug(b, copyOf, copyOf); err != nil {
				return "", err
			}
		}
		maps.Copy(o, swap)
	}
	overlay := filepath.Join(work, "overlay.json")
	if err := o.Write(overlay); err != nil {
		return "", err
	}
	var buf bytes.Buffer
	sub := &environment{layout: e.layout, course: e.course, tmp: e.tmp, work: work, out: &buf, learnerOverlay: overlay,
		printer: report.Printer{W: &buf, Course: e.course}}
	err := sm.run(sub, ctx)
	return buf.String(), err
}

// bug is the catalogued bug with that name.
func (e *environment) bug(name string) (course.Bug, error) {
	all, err := e.course.Bugs()
	if err != nil {
		return course.Bug{}, err
	}
	i := slices.IndexFunc(all, func(b course.Bug) bool { return b.Name == name })
	if i < 0 {
		return course.Bug{}, errors.New("the bug catalogue has no bug " + name)
	}
	return all[i], nil
}
