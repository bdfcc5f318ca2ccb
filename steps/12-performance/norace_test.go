//go:build !race

package performance

// raceEnabled is false without -race: allocation counts are exact.
const raceEnabled = false
