package localserver

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoopbackIsThisMachineOnly(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost": true, "127.0.0.1": true, "127.1.0.7": true, "::1": true,
		"10.0.0.1": false, "example.com": false, "": false, "0.0.0.0": false,
	} {
		assert.Equal(t, want, Loopback(host), "Loopback(%q)", host)
	}
}

func TestReadMemoryReadsThisProcess(t *testing.T) {
	m, err := ReadMemory(os.Getpid())
	require.NoError(t, err)
	assert.Positive(t, m.RSS, "a running process has resident memory")
	assert.GreaterOrEqual(t, m.Size, m.RSS, "the address space holds what is resident")
	_, err = ReadMemory(-1)
	assert.Error(t, err, "no process has PID -1")
}
