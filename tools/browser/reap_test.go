package browser

import (
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestKillLeftoversKillsTheBrowserAndItsOrphanedChildren(t *testing.T) {
	dir := t.TempDir()
	// A "browser" whose command line names its directory, with two children
	// whose command lines do not, as Firefox and its content processes.
	cmd := exec.Command("sh", "-c", "sleep 600 & sleep 600 & wait", "sh", filepath.Join(dir, "profile"))
	require.NoError(t, cmd.Start())
	waited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(waited)
	}()
	t.Cleanup(func() { _ = cmd.Process.Kill(); <-waited })

	var procs map[int]process
	require.Eventually(t, func() bool {
		procs = processesOf(dir)
		return len(procs) == 3
	}, patience, 10*time.Millisecond, "processesOf should find the browser and its two children")
	assert.Contains(t, procs, cmd.Process.Pid, "processesOf should find the browser itself")

	// The browser exits first, as one does when it closes: its children
	// are orphans now, and only what was found before says they are its.
	require.NoError(t, cmd.Process.Kill())
	<-waited
	killLeftovers(dir, procs)
	for pid, p := range procs {
		now, ok := readProcess(pid)
		assert.True(t, !ok || now.start != p.start || now.state == 'Z', "process %d should be dead after killLeftovers", pid)
	}
}
