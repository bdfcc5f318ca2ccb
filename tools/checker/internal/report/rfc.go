package report

import (
	"fmt"
	"sync"

	"github.com/wsfromtcp/workshop/tools/checker/internal/grade"
	"github.com/wsfromtcp/workshop/tools/course"
	"github.com/wsfromtcp/workshop/tools/course/rfcmap"
)

// mostQuotes is how many requirements a failing check quotes: the most
// specific ones, which its tags name first.
const mostQuotes = 2

// requirements is the trace of RFC 6455's requirements in the checkout
// the checker runs in (tools/course/rfcmap), read once, when a report
// first needs it; nil when it cannot be read, and then nothing is quoted.
var requirements = sync.OnceValue(func() *rfcmap.Trace {
	t, _, err := rfcmap.ScanCheckout()
	if err != nil {
		return nil
	}
	return t
})

// quotes prints, under a check that failed, the sentences of RFC 6455 it
// enforces. A check that only hit a TODO says nothing of the RFC yet.
func (p Printer) quotes(c grade.Check, s course.Step) {
	if c.Panic != nil && c.Panic.TODO != 0 {
		return
	}
	t := requirements()
	if t == nil {
		return
	}
	for _, r := range t.Quotes(s, c.Test, mostQuotes) {
		fmt.Fprintf(p.W, "      %s\n", r.Cite())
	}
}

// Requirements lists the requirements of RFC 6455 that step s meets, each
// quoted, and where the page of them all is: the hint that points at the
// RFC's passage shows them.
func (p Printer) Requirements(s course.Step) {
	t := requirements()
	if t == nil {
		return
	}
	reqs := t.OfStep(s.Number)
	if len(reqs) == 0 {
		return
	}
	fmt.Fprintf(p.W, "The requirements of RFC 6455 this step meets (%s#%s has the code and the checks of each):\n",
		rfcmap.Page, rfcmap.Anchor(s.Number))
	for _, r := range reqs {
		fmt.Fprintf(p.W, "  %s %s: \"%s\"\n", r.ID, r.Keyword, r.Quote)
	}
	fmt.Fprintln(p.W)
}
