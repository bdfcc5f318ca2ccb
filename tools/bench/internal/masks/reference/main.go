// Command reference times the reference solution's masking (step 12's
// Mask) for make bench (package masks has the flags).
package main

import (
	performance "github.com/wsfromtcp/workshop/solutions/12-performance"
	"github.com/wsfromtcp/workshop/tools/bench/internal/masks"
)

func main() { masks.Main(masks.Masking(performance.Mask)) }
