package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wsfromtcp/workshop/tools/checker/internal/grade"
	"github.com/wsfromtcp/workshop/tools/course"
)

// grades builds a two-step workshop grade from recorded runs: step 1 half
// done, and a second step that does not compile.
func grades(t *testing.T) []StepGrade {
	c := course.MustLoad()
	step1, _ := c.Step(1)
	step2, _ := c.Step(2)
	res := grade.Result{Step: step1, Target: "steps"}
	files, err := filepath.Glob(filepath.Join("testdata", "closehang", "*.jsonl"))
	require.NoError(t, err)
	var names []string
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".jsonl")
		names = append(names, name)
		res.Checks = append(res.Checks, grade.Judge(name, decodeFile(t, f), nil))
	}
	broken := grade.Result{Step: step2, Target: "steps", Build: grade.BuildErrors(decodeFile(t, "testdata/compile.jsonl"))}
	return []StepGrade{
		{Result: res, Names: names, State: InProgress, Hints: 1},
		{Result: broken, Names: []string{"TestA", "TestB", "ExampleC"}, State: InProgress},
	}
}

func TestJSONReportMatchesTheSchemaInTheRepository(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, JSON(&buf, NewClassroom(grades(t))))

	compiler := jsonschema.NewCompiler()
	schema, err := compiler.Compile("../../grade.schema.json")
	require.NoError(t, err, "tools/checker/grade.schema.json must be a valid JSON Schema")
	doc, err := jsonschema.UnmarshalJSON(&buf)
	require.NoError(t, err)
	assert.NoError(t, schema.Validate(doc), "checker grade -json must write what grade.schema.json describes")
}

func TestJSONPointsAddUpToThePrintedScore(t *testing.T) {
	gs := grades(t)
	c := NewClassroom(gs)

	sum, max := 0, 0
	for _, tc := range c.Tests {
		sum += tc.Score
		max += tc.MaxScore
	}
	assert.Equal(t, c.Score, sum, "score is the sum of the tests' points")
	assert.Equal(t, c.MaxScore, max, "max_score is the sum of the tests' maxima")
	assert.Equal(t, 9, c.Score, "9 of step 1's checks passed in the recorded run")
	assert.Equal(t, 15, c.MaxScore, "12 checks in step 1 and 3 in the step that does not compile: a compile error must not shrink the maximum")
	assert.Equal(t, "fail", c.Status)

	var printed bytes.Buffer
	Printer{W: &printed}.Progress(gs)
	assert.Contains(t, printed.String(), fmt.Sprintf("Score: %d/%d checks", c.Score, c.MaxScore),
		"the JSON's points and the printed score are the same numbers")

	var round Classroom
	var buf bytes.Buffer
	require.NoError(t, JSON(&buf, c))
	require.NoError(t, json.Unmarshal(buf.Bytes(), &round))
	for _, tc := range round.Tests {
		if tc.Step == 2 {
			assert.Contains(t, tc.Message, "does not compile", "a check of a step that does not compile says why it failed")
		}
	}
}

func TestProgressPrintsTheTableAndTheNextStep(t *testing.T) {
	var buf bytes.Buffer
	Printer{W: &buf}.Progress(grades(t))
	golden(t, "progress", buf.Bytes())
}
