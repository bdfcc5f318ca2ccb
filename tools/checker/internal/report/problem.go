package report

import (
	"fmt"
	"strings"

	"github.com/fatih/color"

	"github.com/wsfromtcp/workshop/tools/checker/internal/grade"
)

// problem prints why a check did not pass, indented under it.
func (p Printer) problem(c grade.Check, step int, accent func(a ...any) string) {
	faint := p.Paint(color.Faint)
	w := p.W
	if c.Panic != nil {
		for _, line := range panicLines(c, step) {
			fmt.Fprintf(w, "      %s\n", accent(line))
		}
	}
	failed := map[string]bool{}
	for _, f := range c.Failures {
		// A case that only panicked has nothing to say beyond the panic above.
		if f.Case != "" && (f.Message != "" || len(f.Details) > 0) {
			failed[f.Case] = true
		}
	}
	if len(failed) > 0 && c.Cases > 0 {
		fmt.Fprintf(w, "      %s\n", fmt.Sprintf("%d of %d cases failed:", len(failed), c.Cases))
	}
	const most = 4
	shown := 0
	for _, f := range c.Failures {
		if shown == most {
			fmt.Fprintf(w, "      %s\n", faint(fmt.Sprintf("… and %d more", len(c.Failures)-most)))
			break
		}
		if c.Panic != nil && f.Message == "" && len(f.Details) == 0 {
			continue // the panic above says it all
		}
		shown++
		indent := "      "
		msg := f.Message
		if msg == "" && len(f.Details) > 0 {
			msg, f.Details = f.Details[0], f.Details[1:]
		}
		if f.Case != "" {
			msg = "· " + f.Case + ": " + msg
			indent = "      "
		}
		for i, line := range strings.Split(msg, "\n") {
			if i > 0 {
				line = "  " + line
			}
			fmt.Fprintf(w, "%s%s\n", indent, line)
		}
		for _, d := range limit(f.Details, 4) {
			fmt.Fprintf(w, "%s  %s\n", indent, faint(strings.TrimSpace(d)))
		}
		if f.Location != "" {
			fmt.Fprintf(w, "%s  %s\n", indent, faint("at "+f.Location))
		}
	}
}

func limit(lines []string, n int) []string {
	if len(lines) <= n {
		return lines
	}
	return append(lines[:n:n], "…")
}

// panicLines says what a panic, hang or crash means for the learner.
func panicLines(c grade.Check, step int) []string {
	p := c.Panic
	in := ""
	if p.Func != "" {
		in = fmt.Sprintf("%s (%s)", p.Func, p.Location)
	}
	switch {
	case strings.Contains(p.Value, "os.Exit(0) during test"):
		where := ""
		if in != "" {
			where = " in " + in
		}
		return []string{"your code called os.Exit(0)" + where + " while this check ran: the program ended as if all went well, and a check cannot pass that way.",
			"Return an error instead: ending the program is for main, not for a server's code."}
	case c.Status == grade.Hung && in != "" && p.Looping:
		return []string{fmt.Sprintf("did not finish in time: %s loops without end.", in),
			"Look for a loop whose condition never changes, or that retries at once after an error that will not go away."}
	case c.Status == grade.Hung && in != "":
		return []string{fmt.Sprintf("did not finish in time: stuck in %s.", in),
			"Look for a loop that never ends, or a read, lock or channel operation that waits forever."}
	case c.Status == grade.Hung:
		return []string{"did not finish in time (" + p.Value + ").",
			"Look for a loop that never ends, or a read, lock or channel operation that waits forever."}
	case p.TODO != 0 && p.Func != "":
		return []string{fmt.Sprintf("%s is not written yet: it still panics with %q%s.", p.Func, p.Value, stepNote(p.TODO, step)),
			"at " + p.Location}
	case p.TODO != 0:
		return []string{fmt.Sprintf("a function is not written yet: it panics with %q.", p.Value)}
	case c.Status == grade.Crashed:
		lines := []string{"the test program crashed: " + p.Value}
		if in != "" {
			lines = append(lines, "in "+in)
		}
		return lines
	case in != "":
		return []string{fmt.Sprintf("panic in %s: %s", in, p.Value)}
	default:
		return []string{"panic: " + p.Value}
	}
}

// stepNote points out a TODO that belongs to an earlier step.
func stepNote(todoStep, step int) string {
	if todoStep == step {
		return ""
	}
	return fmt.Sprintf(", a TODO of your step %d", todoStep)
}

// panicKey identifies a panic or hang whose explanation need not be
// repeated for every check it breaks; "" for other outcomes.
func panicKey(c grade.Check) string {
	if c.Panic == nil || saysMore(c) || (c.Status != grade.Panicked && c.Status != grade.Hung) {
		return ""
	}
	return fmt.Sprint(c.Status, c.Panic.Value, c.Panic.Func, c.Panic.Location)
}

// saysMore reports whether a check's failures carry messages of their own
// besides its panic.
func saysMore(c grade.Check) bool {
	for _, f := range c.Failures {
		if f.Message != "" || len(f.Details) > 0 {
			return true
		}
	}
	return false
}

// short is the one-line form of a panic already explained above.
func short(c grade.Check, step int) string {
	if c.Status == grade.Hung && c.Panic.Func != "" {
		return "stuck in " + c.Panic.Func
	}
	if c.Panic.TODO != 0 && c.Panic.Func != "" {
		return fmt.Sprintf("%s is not written yet%s", c.Panic.Func, stepNote(c.Panic.TODO, step))
	}
	if strings.Contains(c.Panic.Value, "os.Exit(0) during test") && c.Panic.Func != "" {
		return "os.Exit(0) called in " + c.Panic.Func
	}
	return "panic: " + c.Panic.Value
}
