package grade

import "github.com/wsfromtcp/workshop/tools/checker/internal/gotest"

// judgeDead grades a test whose process ended before the test did.
func judgeDead(name string, res gotest.Outcome) Check {
	c := Judge(name, res.Events, res.Exit)
	if res.Stopped == name && c.Status != Hung {
		c.Status = Hung
		if c.Panic == nil {
			c.Panic = &Panic{Value: "stopped by the checker: it ran much longer than a working solution takes"}
		}
	}
	return c
}

// Judge grades one test from the events of a process that ran only it.
// err is what running the process returned, if anything.
func Judge(name string, events []gotest.Event, err error) Check {
	if c, ok := Interpret([]string{name}, events)[name]; ok {
		return c
	}
	// The program died before the test ended, or never started it: a
	// panic takes the whole program down, and so does a hang stopped by
	// the watchdog or a crash.
	c := Check{Test: name, Sentence: Sentence(name), Status: Crashed}
	var hung bool
	c.Panic, hung = findPanic(name, outputOf(events))
	switch {
	case hung:
		c.Status = Hung
	case c.Panic != nil && !isFatal(c.Panic.Value):
		c.Status = Panicked
	}
	if c.Panic == nil {
		msg := "the test program stopped before this check finished"
		if err != nil {
			msg += ": " + err.Error()
		} else {
			msg += " and said nothing of it, so it cannot count as passed"
		}
		c.Panic = &Panic{Value: msg}
	}
	return c
}

func outputOf(events []gotest.Event) []string {
	var out []string
	for _, e := range events {
		if e.Action == gotest.Output {
			out = append(out, e.Output)
		}
	}
	return out
}
