//go:build !race

package wstest

const raceFactor = 1
