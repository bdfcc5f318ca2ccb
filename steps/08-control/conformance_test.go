package control

import (
	"testing"
)

// These checks run the workshop's conformance suite (tools/conformance)
// against Serve(…, Echo): the same cases that `go run ./tools/conformance`
// runs against `go run ./steps/cmd/echo`, one check per part of RFC 6455.

func TestEchoReturnsMessagesOfEveryLengthForm(t *testing.T) {
	// Proves RFC 6455 R-6.1-4, R-6.2-1 (docs/rfc6455.md).
	conform(t, `^2\.`)
}

func TestPingsAreAnsweredWithTheirPayloadAndPongsIgnored(t *testing.T) {
	// Proves RFC 6455 R-5.5.2-1, R-5.5.3-1 (docs/rfc6455.md),
	// and also R-6.2-2.
	conform(t, `^3\.`)
}

func TestReservedBitsAndOpcodesFailTheConnectionWith1002(t *testing.T) {
	// Proves RFC 6455 R-5.2-2, R-5.2-3 (docs/rfc6455.md),
	// and also R-7.1.7-2, R-10.7-3, R-7.4.1-1.
	conform(t, `^[45]\.`)
}

func TestFragmentsAreJoinedAndBrokenFragmentationFailsWith1002(t *testing.T) {
	// Proves RFC 6455 R-5.4-6, R-5.4-7 (docs/rfc6455.md),
	// and also R-5.4-4.
	conform(t, `^6\.`)
}

func TestInvalidUTF8FailsTheConnectionWith1007(t *testing.T) {
	// Proves RFC 6455 R-8.1-1, R-7.1.7-2 (docs/rfc6455.md).
	conform(t, `^7\.`)
}

func TestTheClosingHandshakeEchoesValidCodesAndRefusesInvalidOnes(t *testing.T) {
	// Proves RFC 6455 R-5.5.1-4 (docs/rfc6455.md).
	conform(t, `^8\.`)
}

func TestAnUnmaskedClientFrameFailsTheConnectionWith1002(t *testing.T) {
	// Proves RFC 6455 R-5.1-1 (docs/rfc6455.md),
	// and also R-5.1-2, R-7.1.7-1.
	conform(t, `^9\.1$`)
}

func TestTheEchoServerPassesTheWholeConformanceSuiteAndSurvivesIt(t *testing.T) {
	// Proves RFC 6455 R-10.7-1 (docs/rfc6455.md).
	// Every case, the opening handshake included, then case 9.2 once more
	// on its own: after all that, a fresh connection must still echo.
	conform(t, `.`)
	if !t.Failed() {
		conform(t, `^9\.2$`)
	}
}
