//go:build unix

package echokit

import (
	"syscall"
	"time"
)

// processCPU is the CPU time this process has used so far, in user and
// system mode together: every thread's, the runtime's included, since
// what a server costs is all of it.
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
