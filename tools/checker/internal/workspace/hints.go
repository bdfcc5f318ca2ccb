package workspace

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// HintsFile is the name of the plain file in each step folder that holds
// its hints. An instructor edits it freely: each hint starts with a line
// "## " followed by its title, and runs to the next such line.
const HintsFile = "hints.md"

// Hint is one hint of a step.
type Hint struct {
	Title string
	Body  string
}

// Hints reads the hints of a step folder, in order.
func Hints(dir string) ([]Hint, error) {
	data, err := os.ReadFile(filepath.Join(dir, HintsFile))
	if err != nil {
		return nil, fmt.Errorf("workspace: reading hints: %w", err)
	}
	var hints []Hint
	for _, line := range strings.SplitAfter(string(data), "\n") {
		if title, ok := strings.CutPrefix(line, "## "); ok {
			hints = append(hints, Hint{Title: strings.TrimSpace(title)})
			continue
		}
		if len(hints) > 0 {
			hints[len(hints)-1].Body += line
		}
	}
	for i := range hints {
		// Trim blank lines only: a hint that starts with indented code keeps it.
		body := strings.TrimRight(hints[i].Body, " \t\n")
		for strings.HasPrefix(body, "\n") || strings.HasPrefix(strings.TrimLeft(body, " \t"), "\n") {
			_, body, _ = strings.Cut(body, "\n")
		}
		hints[i].Body = body
	}
	if len(hints) == 0 {
		return nil, fmt.Errorf("workspace: %s has no hints (each starts with a line \"## title\")", filepath.Join(dir, HintsFile))
	}
	return hints, nil
}
