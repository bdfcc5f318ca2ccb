package course

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

//go:embed rfc6455.json
var rfcJSON []byte

// The statuses of a requirement. Where an implemented one is met and which
// checks prove it is never written in rfc6455.json: tag comments at the
// code and in the tests say so, and tools/course/rfcmap finds them.
const (
	Implemented   = "implemented"
	NotApplicable = "not-applicable"
)

// Requirement is one normative sentence of RFC 6455 that binds a server or
// both endpoints, quoted exactly (whitespace aside).
type Requirement struct {
	ID      string `json:"id"`      // "R-5.1-1": R-<section>-<n>, never renumbered or reused
	Section string `json:"section"` // "5.1"
	Keyword string `json:"keyword"` // MUST, MUST NOT, SHOULD, SHOULD NOT, MAY, or "must" for the one in lower case
	Quote   string `json:"quote"`
	Status  string `json:"status"`           // Implemented or NotApplicable
	Reason  string `json:"reason,omitempty"` // why a NotApplicable one does not apply, in one line
}

// Cite is how a check quotes the requirement it enforces:
// RFC 6455 §5.1: "The server MUST close the connection upon receiving a
// frame that is not masked."
func (r Requirement) Cite() string {
	return fmt.Sprintf("RFC 6455 §%s: \"%s\"", r.Section, r.Quote)
}

// RFCMap is rfc6455.json: the server's requirements of RFC 6455, in the
// RFC's order.
type RFCMap struct {
	About        []string          `json:"about"`
	Credit       string            `json:"credit"`   // the RFC's copyright notice, for the quotations
	RFC          string            `json:"rfc"`      // the whole text, linked rather than copied
	Sections     map[string]string `json:"sections"` // section number → title
	Requirements []Requirement     `json:"requirements"`
}

// Requirement returns the requirement with that id.
func (m RFCMap) Requirement(id string) (Requirement, bool) {
	i := slices.IndexFunc(m.Requirements, func(r Requirement) bool { return r.ID == id })
	if i < 0 {
		return Requirement{}, false
	}
	return m.Requirements[i], true
}

// SectionURL links a section of the RFC on the RFC Editor's site.
func (m RFCMap) SectionURL(section string) string { return m.RFC + "#section-" + section }

// RequirementID matches an id wherever it is written: R-<section>-<n>.
var RequirementID = regexp.MustCompile(`\bR-([0-9]+(?:\.[0-9]+)*)-([0-9]+)\b`)

var keywords = []string{"MUST", "MUST NOT", "REQUIRED", "SHALL", "SHALL NOT", "SHOULD", "SHOULD NOT", "RECOMMENDED", "MAY", "OPTIONAL", "must"}

// LoadRFC parses the embedded rfc6455.json and checks its shape: ids
// well formed, unique and of their own section, sections titled, keywords
// in their quotes, and a reason exactly for the entries that do not apply.
func LoadRFC() (RFCMap, error) {
	var m RFCMap
	if err := json.Unmarshal(rfcJSON, &m); err != nil {
		return RFCMap{}, fmt.Errorf("course: rfc6455.json: %w", err)
	}
	return m, m.check()
}

func (m RFCMap) check() error {
	var errs []error
	seen := map[string]bool{}
	for _, r := range m.Requirements {
		bad := func(format string, args ...any) {
			errs = append(errs, fmt.Errorf("course: rfc6455.json: %s: %s", r.ID, fmt.Sprintf(format, args...)))
		}
		match := RequirementID.FindStringSubmatch(r.ID)
		switch {
		case match == nil || match[0] != r.ID:
			bad("an id is R-<section>-<n>")
		case match[1] != r.Section:
			bad("the id names section %s, the entry §%s", match[1], r.Section)
		case seen[r.ID]:
			bad("the id is used twice")
		}
		seen[r.ID] = true
		if m.Sections[r.Section] == "" {
			bad("§%s needs a title in sections", r.Section)
		}
		if !slices.Contains(keywords, r.Keyword) || !strings.Contains(r.Quote, r.Keyword) {
			bad("keyword %q must be one of %q and appear in the quote", r.Keyword, keywords)
		}
		if r.Quote != strings.Join(strings.Fields(r.Quote), " ") {
			bad("the quote's whitespace must be single spaces")
		}
		switch {
		case r.Status == Implemented && r.Reason != "":
			bad("an implemented requirement has no reason for not applying")
		case r.Status == NotApplicable && r.Reason == "":
			bad("a requirement that does not apply says why, in reason")
		case r.Status != Implemented && r.Status != NotApplicable:
			bad("status is %q or %q", Implemented, NotApplicable)
		}
	}
	return errors.Join(errs...)
}

// SortedSections lists the sections that have requirements, in the RFC's
// order (4.2.2 before 4.4 before 10.2).
func (m RFCMap) SortedSections() []string {
	var out []string
	for _, r := range m.Requirements {
		if !slices.Contains(out, r.Section) {
			out = append(out, r.Section)
		}
	}
	sortSections(out)
	return out
}

func sortSections(s []string) { slices.SortFunc(s, CompareSections) }

// CompareSections orders section numbers as the RFC does.
func CompareSections(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) && i < len(bs); i++ {
		x, _ := strconv.Atoi(as[i])
		y, _ := strconv.Atoi(bs[i])
		if x != y {
			return x - y
		}
	}
	return len(as) - len(bs)
}

// NormalizeRFCText turns the RFC's plain text into one line of words, as
// the quotations are written: page footers and headers go, and every run
// of whitespace becomes one space. A quotation is exact when it is a
// substring of the result.
func NormalizeRFCText(text string) string {
	var kept []string
	for _, line := range strings.Split(strings.ReplaceAll(text, "\f", "\n"), "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "RFC 6455 ") && strings.HasSuffix(t, "December 2011") ||
			strings.HasPrefix(t, "Fette & Melnikov ") && strings.HasSuffix(t, "]") {
			continue
		}
		kept = append(kept, t)
	}
	return strings.Join(strings.Fields(strings.Join(kept, " ")), " ")
}

// MisquotedIn lists the requirements whose quotes are not in text, the
// RFC's plain text (https://www.rfc-editor.org/rfc/rfc6455.txt).
func (m RFCMap) MisquotedIn(text string) []Requirement {
	words := NormalizeRFCText(text)
	var out []Requirement
	for _, r := range m.Requirements {
		if !strings.Contains(words, r.Quote) {
			out = append(out, r)
		}
	}
	return out
}
