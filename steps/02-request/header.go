package request

// Header holds a request's header fields. Field names are case-insensitive
// (RFC 9110 §5.1), so the keys are the names in lower case; a field sent
// more than once keeps every value, in the order they arrived.
type Header map[string][]string

// Add adds a value to the field name.
func (h Header) Add(name, value string) {
	// TODO(step 2): append value under the lower-case name.
	panic("TODO(step 2): write Header.Add")
}

// Get returns the first value of the field name, in any case, or "" when
// the request has no such field.
func (h Header) Get(name string) string {
	// TODO(step 2): look the name up in lower case.
	panic("TODO(step 2): write Header.Get")
}

// Values returns every value of the field name, in any case, in the order
// they arrived.
func (h Header) Values(name string) []string {
	// TODO(step 2): look the name up in lower case.
	panic("TODO(step 2): write Header.Values")
}
