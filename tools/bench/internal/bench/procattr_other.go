//go:build !linux

package bench

import (
	"os"
	"os/exec"
)

// setProcAttr: outside Linux the child has no process group of its own,
// and kill ends the child alone.
func setProcAttr(*exec.Cmd) {}

func killGroup(pid int) {
	if p, err := os.FindProcess(pid); err == nil {
		_ = p.Kill()
	}
}
