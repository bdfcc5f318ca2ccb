// Package later is step 2: it must keep step 1's behaviour, and does not.
package later

// Answer has drifted from step 1's.
func Answer() int { return 41 }

// Greeting is step 2's own work.
func Greeting() string { return "hello" }
