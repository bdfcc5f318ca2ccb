// Package grade turns the events of a step's test run into checks: one per
// top-level test, each passed or failed with the teaching message the test
// wrote, the unimplemented function that panicked, or the place where the
// code hung.
//
// Judging and scheduling are kept apart. Judging (interpret.go, output.go,
// judge.go, build.go) reads a run's events and starts no process, so it is
// tested on recorded events. Scheduling (schedule.go) starts the processes
// through package gotest: one build, the tests run together, what a crash
// or a hang cut short run again, and each failed check alone, within a
// time budget.
package grade

import (
	"github.com/wsfromtcp/workshop/tools/checker/internal/layout"
	"github.com/wsfromtcp/workshop/tools/course"
)

// Status is the outcome of one check.
type Status int

// The outcomes, from best to worst. Only Passed counts toward the score.
const (
	Passed   Status = iota
	Failed          // an assertion failed
	Panicked        // the code under test panicked (often a TODO stub)
	Hung            // the test did not finish in time
	Crashed         // the test program died another way (fatal error, os.Exit)
	NotRun          // the time budget ran out before the test could run
)

var statusNames = [...]string{"passed", "failed", "panicked", "hung", "crashed", "not run"}

func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return "unknown"
}

// Check is the result of one top-level test.
type Check struct {
	Test     string    // the Go name, e.g. "TestAcceptKeyMatchesTheRFCSample"
	Sentence string    // the name as a sentence, e.g. "Accept key matches the RFC sample"
	Status   Status    //
	Failures []Failure // what went wrong, in order; empty when Passed
	Panic    *Panic    // set when Status is Panicked, Hung or Crashed
	Cases    int       // subtests run, when the test has any
	From     int       // the earlier step whose check this is (steps.json alsoPasses), 0 for the step's own
}

// Failure is one failed assertion or one failed subtest.
type Failure struct {
	Case     string   // the subtest's sentence, empty for the test itself
	Message  string   // what the test says went wrong: the teaching message
	Details  []string // testify's expected/actual lines, when there are any
	Location string   // file:line of the assertion
}

// Panic says where a panic, a hang or a crash happened.
type Panic struct {
	Value    string // the panic value, or what the runtime said
	Func     string // the learner's function at the top of the stack, e.g. "(*Server).Close"
	Location string // its file:line
	TODO     int    // the step number of a "TODO(step N)" panic, or 0
	Step     int    // the step whose folder holds Func, or 0 when unknown
	Looping  bool   // for a hang: Func was running when the test was stopped, a loop that never ends
}

// BuildError is one compiler message, with a plain-words explanation.
type BuildError struct {
	Location    string // file:line:col, relative to the repository root
	Message     string // what the compiler said
	Explanation string // what it means, for someone new to Go; may be empty
	Step        int    // the step whose folder holds the file, or 0
}

// Dependency is an earlier step that this step imports, and how far the
// learner's version of it has come. It is graded only to explain a
// failure, in little time: a check of it that hung or was not run is not
// judged, never counted as failed.
type Dependency struct {
	Step      course.Step
	Passed    int
	NotJudged int // checks that hung or were not run
	Total     int
	Builds    bool
}

// Failing counts the checks that failed for a reason other than time.
func (d Dependency) Failing() int { return d.Total - d.Passed - d.NotJudged }

// Done reports whether the dependency passes every check it was judged on.
func (d Dependency) Done() bool { return d.Builds && d.Total > 0 && d.Failing() == 0 }

// Blame says that failing checks of a step pass once some of the learner's
// earlier steps are swapped for the reference solution: the bug is there.
type Blame struct {
	Steps  []course.Step // the earlier steps whose reference makes the difference: one, or several together
	Checks []string      // the sentences of the checks that then pass
	Done   bool          // the blamed steps pass their own checks: those checks missed the bug
}

// Result is the grade of one step.
type Result struct {
	Step       course.Step
	Target     layout.Tree // layout.Steps for the learner's code, layout.Solutions for the reference
	Build      []BuildError
	Checks     []Check
	Rules      []string     // imports that break the raw-TCP rule
	Unfinished []Dependency // earlier steps this one uses that do not pass yet
	Blames     []Blame      // earlier steps that make failing checks fail
	Blamed     bool         // the earlier steps were swapped for the reference to find Blames
	Tampered   []string     // the step's test files that are not the workshop's, each with how to get it back
}

// Compiles reports whether the step's tests could be built.
func (r Result) Compiles() bool { return len(r.Build) == 0 }

// Passed counts the checks that passed.
func (r Result) Passed() int {
	n := 0
	for _, c := range r.Checks {
		if c.Status == Passed {
			n++
		}
	}
	return n
}

// Done reports whether the step is finished: it compiles, keeps the
// raw-TCP rule, and passes every check.
func (r Result) Done() bool {
	return r.Compiles() && len(r.Rules) == 0 && len(r.Tampered) == 0 && len(r.Checks) > 0 && r.Passed() == len(r.Checks)
}

// MissingChecks adds a failed check for each of want (the course's list
// of the step's checks) that did not run, because its test was changed
// away or its file deleted: a check the learner removed is a check
// failed, not one fewer.
func (r *Result) MissingChecks(want []string) {
	if !r.Compiles() {
		return
	}
	ran := map[string]bool{}
	for _, c := range r.Checks {
		ran[c.Test] = true
	}
	for _, name := range want {
		if !ran[name] {
			r.Checks = append(r.Checks, Check{Test: name, Sentence: Sentence(name), Status: Failed, Failures: []Failure{{
				Message: "this check did not run: its test is no longer in the step's test files (see above)",
			}}})
		}
	}
}

// FirstProblem is the first check that did not pass, or nil.
func (r Result) FirstProblem() *Check {
	for i := range r.Checks {
		if r.Checks[i].Status != Passed {
			return &r.Checks[i]
		}
	}
	return nil
}
