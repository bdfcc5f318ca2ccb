package grade

import (
	"strings"
	"unicode"
)

// Sentence turns a test's Go name into the sentence it was written as:
// "TestAcceptKeyMatchesTheRFCSample" → "Accept key matches the RFC sample",
// "ExampleListen" → "Example: Listen". Words in capitals (RFC, UTF, HTTP)
// keep their case. Subtest names are sentences already; their underscores
// (which go test puts for spaces) become spaces again.
func Sentence(name string) string {
	top, sub, isSub := strings.Cut(name, "/")
	if isSub {
		return strings.ReplaceAll(sub, "_", " ")
	}
	switch {
	case strings.HasPrefix(top, "Example"):
		rest := strings.ReplaceAll(strings.TrimPrefix(top, "Example"), "_", ".")
		if rest == "" {
			return "Example"
		}
		return "Example: " + rest
	case strings.HasPrefix(top, "Test"):
		top = strings.TrimPrefix(top, "Test")
	case strings.HasPrefix(top, "Fuzz"):
		return "Fuzz: " + sentenceWords(strings.TrimPrefix(top, "Fuzz"))
	}
	return sentenceWords(top)
}

func sentenceWords(s string) string {
	words := splitCamel(strings.ReplaceAll(s, "_", " "))
	for i, w := range words {
		if isAcronym(w) {
			continue
		}
		if i == 0 {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		} else {
			words[i] = strings.ToLower(w)
		}
	}
	return strings.Join(words, " ")
}

// isAcronym reports whether w is an upper-case word such as "RFC" or "UTF8",
// as opposed to a single capital letter ("A" in "OneByteAtATime").
func isAcronym(w string) bool {
	letters := 0
	for _, r := range w {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters > 1 || (letters == 0 && w != "")
}

// splitCamel splits "TheRFCSampleAt101" into "The", "RFC", "Sample", "At", "101".
func splitCamel(s string) []string {
	var words []string
	rs := []rune(s)
	start := 0
	for i := 1; i <= len(rs); i++ {
		if i < len(rs) && !boundary(rs, i) {
			continue
		}
		if w := strings.TrimSpace(string(rs[start:i])); w != "" {
			words = append(words, strings.Fields(w)...)
		}
		start = i
	}
	return words
}

func boundary(rs []rune, i int) bool {
	prev, cur := rs[i-1], rs[i]
	switch {
	case cur == ' ' || prev == ' ':
		return true
	case unicode.IsUpper(cur) && unicode.IsLower(prev):
		return true
	case unicode.IsUpper(cur) && unicode.IsUpper(prev) && i+1 < len(rs) && unicode.IsLower(rs[i+1]):
		return true // the last capital of "RFCSample" starts "Sample"
	case unicode.IsDigit(cur) && unicode.IsLetter(prev) && unicode.IsLower(prev):
		return true
	case unicode.IsLetter(cur) && unicode.IsDigit(prev) && unicode.IsUpper(cur) && i+1 < len(rs) && unicode.IsLower(rs[i+1]):
		return true
	}
	return false
}
