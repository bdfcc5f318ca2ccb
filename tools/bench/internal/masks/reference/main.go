// Command reference times the reference solution's masking for make bench
// (package masks has the flags).
package main

import (
	mask "github.com/wsfromtcp/workshop/solutions/06-masking"
	"github.com/wsfromtcp/workshop/tools/bench/internal/masks"
)

func main() { masks.Main(masks.Masking(mask.Apply)) }
