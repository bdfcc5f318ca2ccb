package request

import "strings"

// Header holds a request's header fields. Field names are case-insensitive
// (RFC 9110 §5.1), so the keys are the names in lower case; a field sent
// more than once keeps every value, in the order they arrived.
type Header map[string][]string

// Add adds a value to the field name.
func (h Header) Add(name, value string) {
	key := strings.ToLower(name)
	h[key] = append(h[key], value)
}

// Get returns the first value of the field name, in any case, or "" when
// the request has no such field.
func (h Header) Get(name string) string {
	if vs := h[strings.ToLower(name)]; len(vs) > 0 {
		return vs[0]
	}
	return ""
}

// Values returns every value of the field name, in any case, in the order
// they arrived.
func (h Header) Values(name string) []string {
	return h[strings.ToLower(name)]
}
