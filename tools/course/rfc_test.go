package course

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTheRFCRequirementsLoadWellFormed(t *testing.T) {
	m, err := LoadRFC()
	require.NoError(t, err, "rfc6455.json must parse and keep its shape")
	assert.NotEmpty(t, m.Requirements)
	assert.Contains(t, m.Credit, "Copyright (c) 2011 IETF Trust and the persons identified as the document authors",
		"the quotations credit the RFC's copyright notice")
	r, ok := m.Requirement("R-5.1-1")
	require.True(t, ok, "R-5.1-1 is the unmasked-frame rule that the checker's golden files quote")
	assert.Equal(t, `RFC 6455 §5.1: "The server MUST close the connection upon receiving a frame that is not masked."`, r.Cite())
}

func TestTheRFCMapRefusesABrokenEntry(t *testing.T) {
	good := Requirement{ID: "R-5.1-1", Section: "5.1", Keyword: "MUST", Quote: "The server MUST close.", Status: Implemented}
	m := RFCMap{Sections: map[string]string{"5.1": "Overview"}, Requirements: []Requirement{good}}
	require.NoError(t, m.check())
	for name, edit := range map[string]func(*Requirement){
		"id of another section":      func(r *Requirement) { r.ID = "R-5.2-1" },
		"id not of the form":         func(r *Requirement) { r.ID = "5.1-1" },
		"untitled section":           func(r *Requirement) { r.ID, r.Section = "R-9-1", "9" },
		"keyword not in the quote":   func(r *Requirement) { r.Keyword = "SHOULD" },
		"unknown keyword":            func(r *Requirement) { r.Keyword, r.Quote = "WILL", "It WILL." },
		"double space":               func(r *Requirement) { r.Quote = "The server  MUST close." },
		"no reason for not applying": func(r *Requirement) { r.Status = NotApplicable },
		"reason on an implemented":   func(r *Requirement) { r.Reason = "why" },
		"unknown status":             func(r *Requirement) { r.Status = "done" },
	} {
		bad := good
		edit(&bad)
		assert.Error(t, RFCMap{Sections: m.Sections, Requirements: []Requirement{bad}}.check(), name)
	}
	assert.Error(t, RFCMap{Sections: m.Sections, Requirements: []Requirement{good, good}}.check(), "an id used twice")
}

func TestMisquotedInReadsTheRFCAcrossPageBreaks(t *testing.T) {
	text := "   The server MUST close the connection upon receiving a frame that is\n\n\n\n" +
		"Fette & Melnikov             Standards Track                   [Page 27]\n\f\n" +
		"RFC 6455                 The WebSocket Protocol            December 2011\n\n\n   not masked.\n"
	m := RFCMap{Requirements: []Requirement{
		{ID: "R-5.1-1", Quote: "The server MUST close the connection upon receiving a frame that is not masked."},
		{ID: "R-5.1-2", Quote: "The server MUST close the connection upon receiving a frame that is masked."},
	}}
	got := m.MisquotedIn(text)
	require.Len(t, got, 1)
	assert.Equal(t, "R-5.1-2", got[0].ID)
}

func TestSectionsSortAsTheRFCNumbersThem(t *testing.T) {
	s := []string{"10.2", "4.4", "4.2.2", "5.5", "5.5.1", "9"}
	sortSections(s)
	assert.Equal(t, "4.2.2 4.4 5.5 5.5.1 9 10.2", strings.Join(s, " "))
}
