//go:build race

package wstest

// raceFactor stretches Patience under the race detector, which makes code
// several times slower.
const raceFactor = 3
