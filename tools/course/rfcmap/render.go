package rfcmap

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wsfromtcp/workshop/tools/course"
)

// Page is the file make rfc-map writes, relative to the repository root.
const Page = "docs/rfc6455.md"

// Anchor is the page's anchor of a step's requirements: docs/rfc6455.md#step-3.
func Anchor(n int) string { return fmt.Sprintf("step-%d", n) }

// ChapterLine is the last line of a chapter whose step implements
// requirements: the link to them.
func ChapterLine(n int) string {
	return fmt.Sprintf("Requirements of this step, each quoted from RFC 6455 with the code that meets it and the checks that prove it: [RFC 6455, line by line](rfc6455.md#%s).", Anchor(n))
}

// Markdown is docs/rfc6455.md: the requirements section by section, each
// quoted, with the lines that implement it and the checks that prove it,
// then an index by step.
func (t *Trace) Markdown(c course.Course) string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("# RFC 6455, line by line\n\n")
	w("<!-- Written by make rfc-map from tools/course/rfc6455.json and the tag comments in solutions/, the step tests and the conformance suite; a test of tools/course/rfcmap fails while it is stale. -->\n\n")
	w("Every sentence of [RFC 6455](%s) that binds a WebSocket server, or both endpoints, in the sections this workshop covers: ", t.Map.RFC)
	w("quoted, with the line of the reference solution (`solutions/`) that meets it and the checks that fail when it is broken ")
	w("(`make stepN` runs a step's checks, `make conformance` the conformance suite). ")
	w("A requirement this server does not have to meet says why.\n\n")
	w("**%s.**\n\n", t.Coverage())
	w("By step:")
	for _, s := range c.Steps {
		if len(t.OfStep(s.Number)) > 0 {
			w(" [%d](#%s)", s.Number, Anchor(s.Number))
		}
	}
	w(" · [Credits](#credits)\n")
	for _, sec := range t.Map.SortedSections() {
		w("\n## §%s %s\n", sec, t.Map.Sections[sec])
		w("\n[RFC 6455 §%s](%s)\n", sec, t.Map.SectionURL(sec))
		for _, r := range t.Map.Requirements {
			if r.Section == sec {
				t.entry(&b, c, r)
			}
		}
	}
	w("\n## By step\n")
	for _, s := range c.Steps {
		reqs := t.OfStep(s.Number)
		if len(reqs) == 0 {
			continue
		}
		w("\n<a name=\"%s\"></a>\n\n### Step %d · %s\n\n", Anchor(s.Number), s.Number, s.Title)
		w("[Chapter](%s) · the step implements:", strings.TrimPrefix(s.Chapter(), "docs/"))
		for _, r := range reqs {
			w(" [%s](#%s)", r.ID, r.ID)
		}
		w("\n")
	}
	w("\n## Credits\n\n%s The whole text: %s.\n", t.Map.Credit, t.Map.RFC)
	return b.String()
}

func (t *Trace) entry(b *strings.Builder, c course.Course, r course.Requirement) {
	fmt.Fprintf(b, "\n<a name=\"%s\"></a>\n**%s** · %s\n\n> %s\n\n", r.ID, r.ID, r.Keyword, r.Quote)
	if r.Status == course.NotApplicable {
		fmt.Fprintf(b, "- Not applicable: %s\n", r.Reason)
		return
	}
	var impl []string
	for _, s := range t.Impl[r.ID] {
		impl = append(impl, fmt.Sprintf("[%s:%d](%s)", strings.TrimPrefix(s.File, "solutions/"), s.Line, link(s)))
	}
	if len(impl) > 0 {
		fmt.Fprintf(b, "- Implemented in %s: %s\n", chapters(c, t.Impl[r.ID]), strings.Join(impl, ", "))
	}
	var checks []string
	for _, k := range t.Checks[r.ID] {
		switch k.Kind {
		case StepCheck:
			checks = append(checks, fmt.Sprintf("step %d [%s](%s)", k.Step, k.Name, link(k.Site)))
		case ConformanceCase:
			checks = append(checks, fmt.Sprintf("conformance [%s](%s)", k.Name, link(k.Site)))
		default:
			checks = append(checks, fmt.Sprintf("the reference's own test [%s](%s) (no step grades this in your code)", k.Name, link(k.Site)))
		}
	}
	if len(checks) > 0 {
		fmt.Fprintf(b, "- Checked by %s\n", strings.Join(checks, ", "))
	}
	if missing := len(impl) == 0 || len(checks) == 0; missing {
		fmt.Fprintf(b, "- **Untraced**: see make rfc-map\n")
	}
}

// chapters names the steps of sites, each linked to its chapter.
func chapters(c course.Course, sites []Site) string {
	var steps []int
	for _, s := range sites {
		if !slices.Contains(steps, s.Step) {
			steps = append(steps, s.Step)
		}
	}
	slices.Sort(steps)
	var out []string
	for _, n := range steps {
		if s, ok := c.Step(n); ok {
			out = append(out, fmt.Sprintf("[step %d](%s)", n, strings.TrimPrefix(s.Chapter(), "docs/")))
		}
	}
	return strings.Join(out, ", ")
}

// link is a site's link from docs/.
func link(s Site) string { return fmt.Sprintf("../%s#L%d", s.File, s.Line) }

// The README's coverage line stands between these markers.
const (
	readmeStart = "<!-- rfc6455: written by make rfc-map -->\n"
	readmeEnd   = "<!-- /rfc6455 -->"
)

// WithCoverage returns readme with the coverage line, and the link to the
// page, between its markers.
func (t *Trace) WithCoverage(readme string) (string, error) {
	line := fmt.Sprintf("%s: [docs/rfc6455.md](%s) quotes each one, with the code that meets it and the checks that prove it.\n", t.Coverage(), Page)
	return course.ReplaceBetween(readme, readmeStart, readmeEnd, line)
}

// WithChapterLine returns a chapter that ends with ChapterLine(n): an
// older link line is replaced, or the line is added at the end.
func WithChapterLine(chapter string, n int) string {
	want := ChapterLine(n)
	prefix, _, _ := strings.Cut(want, ":")
	lines := strings.Split(strings.TrimRight(chapter, "\n"), "\n")
	if last := lines[len(lines)-1]; strings.HasPrefix(last, prefix) {
		lines = lines[:len(lines)-1]
		for len(lines) > 0 && lines[len(lines)-1] == "" {
			lines = lines[:len(lines)-1]
		}
	}
	return strings.Join(lines, "\n") + "\n\n" + want + "\n"
}
