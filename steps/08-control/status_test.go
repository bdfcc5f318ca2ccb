package control

import (
	"errors"
	"io"
	"testing"

	"github.com/wsfromtcp/workshop/tools/wstest/assert"
)

func TestStatusCodeStringNamesTheCode(t *testing.T) {
	cases := []struct {
		code StatusCode
		want string
	}{
		{StatusNormalClosure, "1000 normal closure"},
		{StatusGoingAway, "1001 going away"},
		{StatusProtocolError, "1002 protocol error"},
		{StatusInvalidPayloadData, "1007 invalid payload data"},
		{StatusPolicyViolation, "1008 policy violation"},
		{StatusMessageTooBig, "1009 message too big"},
		{StatusNoStatusReceived, "1005 no status received"},
		{StatusAbnormalClosure, "1006 abnormal closure"},
		{3000, "3000 registered"},
		{4321, "4321 private use"},
		{1004, "1004 unknown"},
		{5000, "5000 unknown"},
	}
	for _, tc := range cases {
		t.Run(tc.want, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.code.String(),
				"a status code prints as its number and its name from statusNames, or its range for 3000–3999 and 4000–4999 (RFC 6455 §7.4.2)")
		})
	}
}

func TestValidOnWireAllowsOnlyTheCodesAnEndpointMaySend(t *testing.T) {
	// Proves RFC 6455 R-7.4.1-3, R-7.4.1-4 (docs/rfc6455.md),
	// and also R-7.4.1-5.
	valid := []StatusCode{1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999}
	for _, code := range valid {
		assert.True(t, code.ValidOnWire(), "%d may be sent in a close frame (RFC 6455 §7.4.1, §7.4.2)", uint16(code))
	}
	invalid := []struct {
		code StatusCode
		why  string
	}{
		{0, "codes below 1000 are not used (§7.4.2)"},
		{999, "codes below 1000 are not used (§7.4.2)"},
		{1004, "1004 is reserved (§7.4.1)"},
		{1005, "1005 \"MUST NOT be set as a status code in a Close control frame\" (§7.4.1)"},
		{1006, "1006 \"MUST NOT be set as a status code in a Close control frame\" (§7.4.1)"},
		{1015, "1015 \"MUST NOT be set as a status code in a Close control frame\" (§7.4.1)"},
		{1016, "1016–2999 are reserved for future RFCs (§7.4.2)"},
		{2999, "1016–2999 are reserved for future RFCs (§7.4.2)"},
		{5000, "no code above 4999 is defined (§7.4.2)"},
		{65535, "no code above 4999 is defined (§7.4.2)"},
	}
	for _, tc := range invalid {
		assert.False(t, tc.code.ValidOnWire(), "%d must not go on the wire: %s", uint16(tc.code), tc.why)
	}
}

func TestCloseErrorSaysHowTheConnectionEndedAndUnwrapsItsCause(t *testing.T) {
	plain := &CloseError{Code: StatusNormalClosure, Reason: "bye"}
	assert.Contains(t, plain.Error(), "1000 normal closure", "the error should name the code as StatusCode.String does")
	assert.Contains(t, plain.Error(), "bye", "the error should quote the reason")

	cause := &CloseError{Code: StatusAbnormalClosure, Err: io.EOF}
	assert.Contains(t, cause.Error(), "1006 abnormal closure", "the error should name the code as StatusCode.String does")
	assert.Contains(t, cause.Error(), io.EOF.Error(), "the error should say what broke the connection")
	assert.ErrorIs(t, cause, io.EOF, "errors.Is must find the cause: CloseError needs an Unwrap method")

	var ce *CloseError
	wrapped := error(cause)
	assert.True(t, errors.As(wrapped, &ce) && ce.Code == StatusAbnormalClosure,
		"a handler finds out how its connection ended with errors.As(err, &closeErr)")
}
