// Package early is step 1 of a checkout in which step 2 borrows step 1's
// check (steps.json alsoPasses).
package early

// Answer is what step 1's check wants.
func Answer() int { return 42 }
