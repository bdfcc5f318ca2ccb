package control

import (
	"testing"
)

// These checks run the workshop's conformance suite (tools/conformance)
// against Serve(…, Echo): the same cases that `go run ./tools/conformance`
// runs against `go run ./steps/cmd/echo`, one check per part of RFC 6455.

func TestEchoReturnsMessagesOfEveryLengthForm(t *testing.T) {
	conform(t, `^2\.`)
}

func TestPingsAreAnsweredWithTheirPayloadAndPongsIgnored(t *testing.T) {
	conform(t, `^3\.`)
}

func TestReservedBitsAndOpcodesFailTheConnectionWith1002(t *testing.T) {
	conform(t, `^[45]\.`)
}

func TestFragmentsAreJoinedAndBrokenFragmentationFailsWith1002(t *testing.T) {
	conform(t, `^6\.`)
}

func TestInvalidUTF8FailsTheConnectionWith1007(t *testing.T) {
	conform(t, `^7\.`)
}

func TestTheClosingHandshakeEchoesValidCodesAndRefusesInvalidOnes(t *testing.T) {
	conform(t, `^8\.`)
}

func TestAnUnmaskedClientFrameFailsTheConnectionWith1002(t *testing.T) {
	conform(t, `^9\.1$`)
}

func TestTheEchoServerPassesTheWholeConformanceSuiteAndSurvivesIt(t *testing.T) {
	// Every case, the opening handshake included, then case 9.2 once more
	// on its own: after all that, a fresh connection must still echo.
	conform(t, `.`)
	if !t.Failed() {
		conform(t, `^9\.2$`)
	}
}
