//go:build !unix

package echokit

import "time"

// processCPU is not known here: make bench shows the CPU table's entries
// as unknown.
func processCPU() (time.Duration, bool) { return 0, false }
