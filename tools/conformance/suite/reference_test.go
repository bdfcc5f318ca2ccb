package suite

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	control "github.com/wsfromtcp/workshop/solutions/08-control"
)

// The reference echo server is the suite's other half: every case must
// pass against it, with the exact status codes, or either the case or the
// reference is wrong.
func TestTheReferenceEchoServerPassesEveryCase(t *testing.T) {
	srv, err := control.Serve("127.0.0.1:0", control.Echo)
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })

	results := Run(srv.Addr().String(), nil)
	require.Len(t, results, len(Cases()), "Run with no filter runs every case")
	for _, r := range results {
		assert.NoError(t, r.Err, "case %s %s (RFC 6455 §%s)", r.ID, r.Name, r.Section)
	}
	var out strings.Builder
	Print(&out, results, false)
	assert.True(t, strings.HasSuffix(out.String(), fmt.Sprintf("\n%d passed, 0 failed\n", len(results))),
		"Print ends with the line \"N passed, N failed\" that CI logs are read for")
}
