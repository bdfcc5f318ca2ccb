package course

import (
	"fmt"
	"strings"
)

// The markers around the step table in README.md. What lies between them
// is StepTable's, rewritten by make readme-steps; a course test fails
// while it differs.
const (
	stepTableStart = "<!-- steps: written by make readme-steps from tools/course/steps.json -->\n"
	stepTableEnd   = "<!-- /steps -->"
)

// StepTable is the README's table of steps, in Markdown: for each step its
// number, its chapter, the command that grades it, and what the learner
// builds in it.
func (c Course) StepTable() string {
	var b strings.Builder
	b.WriteString("| Step | Chapter | Grade it | You build |\n| --- | --- | --- | --- |\n")
	for _, s := range c.Steps {
		fmt.Fprintf(&b, "| %02d | [%s](%s) | `make step%d` | %s |\n", s.Number, s.Title, s.Chapter(), s.Number, s.Builds)
	}
	return b.String()
}

// WithStepTable returns readme with StepTable in place of what stands
// between its step-table markers, or an error when readme lacks them.
func (c Course) WithStepTable(readme string) (string, error) {
	return ReplaceBetween(readme, stepTableStart, stepTableEnd, c.StepTable())
}

// ReplaceBetween returns text with content in place of what stands between
// the markers start and end (README parts that a command writes), or an
// error when text lacks them.
func ReplaceBetween(text, start, end, content string) (string, error) {
	i := strings.Index(text, start)
	j := -1
	if i >= 0 {
		i += len(start)
		j = strings.Index(text[i:], end)
	}
	if j < 0 {
		return "", fmt.Errorf("course: README.md has no place for it: put %q and %q around it",
			strings.TrimSpace(start), end)
	}
	return text[:i] + content + text[i+j:], nil
}
