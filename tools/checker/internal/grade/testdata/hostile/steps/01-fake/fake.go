// Package fake is learner code that misbehaves in the ways the checker
// must grade correctly.
package fake

import (
	"bytes"
	"os"
)

var n int

// Spin never returns: a loop without end.
func Spin() {
	for {
		n++
	}
}

// Block waits forever on a channel nobody sends to.
func Block() {
	<-make(chan int)
}

// Quit ends the program as if it had succeeded.
func Quit() { os.Exit(0) }

// Die ends the program with an error status.
func Die() { os.Exit(3) }

// Shout prints n bytes on one line, as a debugging print left in a loop.
func Shout(n int) { os.Stdout.Write(bytes.Repeat([]byte("y"), n)) }

// Todo is a function not written yet, as the stubs have them.
func Todo() { panic("TODO(step 1): write Todo") }
