package fake

import (
	"strings"
	"testing"
)

func TestPassesFirst(t *testing.T) {}

func TestCallsOsExitZero(t *testing.T) { Quit() }

func TestCallsOsExitThree(t *testing.T) { Die() }

func TestPrintsAFloodOfOutput(t *testing.T) {
	t.Error("the teaching message comes first")
	line := strings.Repeat("x", 1023)
	for range 1 << 10 {
		t.Log(line) // 1 MiB in all: 16 times a test's cap
	}
	Shout(2 << 20) // one line of twice maxLine
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

// TestFailsWithAMultiLineErrorf asserts with no assertion library at all,
// as a test would after a testify release that lays out its text anew.
func TestFailsWithAMultiLineErrorf(t *testing.T) {
	t.Errorf("the server must answer 101 Switching Protocols\n(RFC 6455 §4.2.2)")
}

// TestHandsOverItsFailure fails the way the workshop's wstest/assert
// package does: the failure as a test attribute, then a text for people,
// which the checker must not count twice.
func TestHandsOverItsFailure(t *testing.T) {
	t.Attr("wstest.failure", `{"message":"a server must not mask (RFC 6455 §5.1)","details":["expected: 0x00","actual  : 0x80"],"at":"fake_test.go:50"}`)
	t.Errorf("\n\tError Trace:\tfake_test.go:50\n\tError:      \tNot equal\n\tMessages:   \ta server must not mask (RFC 6455 §5.1)")
	t.Run("in a subtest too", func(t *testing.T) {
		t.Attr("wstest.failure", `{"message":"the length must be minimal (RFC 6455 §5.2)"}`)
		t.Errorf("\n\tError:      \tShould be true\n\tMessages:   \tthe length must be minimal (RFC 6455 §5.2)")
	})
}
