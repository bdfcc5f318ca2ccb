package gotest

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecodeKeepsLinesThatAreNotJSON(t *testing.T) {
	in := `{"Action":"run","Test":"TestA/sub"}
signal: killed
{"Action":"pass","Test":"TestA","Elapsed":0.5}
`
	events, err := Decode(strings.NewReader(in))
	require.NoError(t, err)
	require.Len(t, events, 3)
	assert.Equal(t, Run, events[0].Action)
	assert.Equal(t, "TestA", events[0].TopLevel())
	assert.Equal(t, Event{Action: Output, Output: "signal: killed\n"}, events[1], "a line the go command printed outside JSON must not be lost")
	assert.True(t, events[2].Terminal())
}

func TestRunPatternSelectsExactlyTheNamedTests(t *testing.T) {
	assert.Equal(t, `^(TestA|TestB\.x)$`, RunPattern([]string{"TestA", "TestB.x"}))
}

// TestDecodeCappedKeepsTheStartAndTheEndOfAFloodOfOutput feeds 50 MB of
// output, the first message and a panic at the end: both must survive, in
// a bounded amount of memory.
func TestDecodeCappedKeepsTheStartAndTheEndOfAFloodOfOutput(t *testing.T) {
	var in strings.Builder
	line := func(test, text string) {
		b, err := json.Marshal(Event{Action: Output, Test: test, Output: text})
		require.NoError(t, err)
		in.Write(b)
		in.WriteByte('\n')
	}
	line("TestA", "    a_test.go:3: the teaching message\n")
	flood := strings.Repeat("y", 1023) + "\n"
	for range 50 << 10 {
		line("TestA", flood)
	}
	line("TestA", "panic: at the very end\n")
	in.WriteString(`{"Action":"fail","Test":"TestA"}` + "\n")
	in.WriteString(strings.Repeat("z", 3<<20) + "\n") // a line far past maxLine, not JSON

	seen := 0
	events, err := decodeCapped(strings.NewReader(in.String()), 64<<10, func(Event) { seen++ })
	require.NoError(t, err)
	assert.Equal(t, 50<<10+4, seen, "every event is observed as it arrives, kept or not")
	kept := 0
	var text strings.Builder
	for _, e := range events {
		kept += len(e.Output)
		if e.Test == "TestA" {
			text.WriteString(e.Output)
		}
	}
	assert.LessOrEqual(t, kept, 64<<10+maxLine+100, "at most the cap per test, plus one line cut at maxLine")
	assert.True(t, strings.HasPrefix(text.String(), "    a_test.go:3: the teaching message\n"), "the first message is kept")
	assert.True(t, strings.HasSuffix(text.String(), "panic: at the very end\n"), "the last words are kept")
	assert.Contains(t, text.String(), "bytes of output cut", "the cut is said")
	assert.Equal(t, Fail, events[len(events)-1].Action, "events other than output keep their order, after the output")
}

func TestDecodeCappedKeepsAttributesInOrderWithTheOutput(t *testing.T) {
	in := strings.Join([]string{
		`{"Action":"run","Test":"TestX"}`,
		`{"Action":"output","Test":"TestX","Output":"=== RUN   TestX\n"}`,
		`{"Action":"attr","Test":"TestX","Key":"wstest.failure","Value":"{\"message\":\"m\"}"}`,
		`{"Action":"output","Test":"TestX","Output":"    x_test.go:9: \n"}`,
		`{"Action":"fail","Test":"TestX"}`,
	}, "\n")
	events, err := decodeCapped(strings.NewReader(in), 64<<10, func(Event) {})
	require.NoError(t, err)
	var order []Action
	for _, e := range events {
		if e.Test == "TestX" {
			order = append(order, e.Action)
		}
	}
	assert.Equal(t, []Action{Output, Attr, Output, Run, Fail}, order,
		"a failure handed over as an attribute must stay just before the text testify printed for it, so that grading can tell the two are one failure")
	assert.Equal(t, "wstest.failure", events[1].Key)
	assert.Equal(t, `{"message":"m"}`, events[1].Value)
}
