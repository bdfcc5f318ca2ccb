package fake

import (
	"strings"
	"testing"
)

func TestPassesFirst(t *testing.T) {}

func TestCallsOsExitZero(t *testing.T) { Quit() }

func TestCallsOsExitThree(t *testing.T) { Die() }

func TestPrintsFiftyMegabytes(t *testing.T) {
	t.Error("the teaching message comes first")
	line := strings.Repeat("x", 1023)
	for range 10 << 10 {
		t.Log(line)
	}
	Shout(8 << 20)
}

func TestSpinsForever(t *testing.T) { Spin() }

func TestCleanupWaitsForABlockedHandler(t *testing.T) {
	done := make(chan struct{})
	go func() { Block(); close(done) }()
	t.Cleanup(func() { <-done })
}

func TestReachesATODO(t *testing.T) { Todo() }

func TestPassesLast(t *testing.T) {}

func TestFailsPlainly(t *testing.T) { t.Error("a plain failure") }
