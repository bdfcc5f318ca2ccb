package performance

import (
	"sync"
	"testing"

	"github.com/wsfromtcp/workshop/tools/conformance/suite"
	"github.com/wsfromtcp/workshop/tools/wstest/assert"
)

func TestTheFastEchoPassesTheWholeConformanceSuite(t *testing.T) {
	// The cases that `go run ./tools/conformance` runs, and that step 8's
	// Echo passes: a fast Conn behaves as step 8's does. All at once, so
	// that a server that hangs costs the time of one case.
	addr := serveFast(t, Echo)
	cases := suite.Cases()
	errs := make([]error, len(cases))
	var wg sync.WaitGroup
	for i, c := range cases {
		wg.Go(func() { errs[i] = c.Run(addr) })
	}
	wg.Wait() // every case has deadlines on its connection
	for i, c := range cases {
		assert.NoError(t, errs[i], "conformance case %s: the server %s (RFC 6455 §%s)", c.ID, c.Name, c.Section)
	}
}
