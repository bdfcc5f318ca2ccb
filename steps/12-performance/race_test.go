//go:build race

package performance

// raceEnabled: the race detector allocates on its own, so allocation counts
// mean nothing under -race; the checks that count them still run, and skip
// only the count.
const raceEnabled = true
