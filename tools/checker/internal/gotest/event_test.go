package gotest

import (
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
