package bench

import (
	"os/exec"
	"syscall"
)

// setProcAttr puts the child in a process group of its own, which kill
// ends as a whole, and has Linux kill it if this process dies first (even
// by SIGKILL), so that no server outlives make bench.
func setProcAttr(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

func killGroup(pid int) { _ = syscall.Kill(-pid, syscall.SIGKILL) }
