package wstest

import (
	"os"
	"strconv"
	"time"
)

// basePatience is how long a test waits, on an idle machine, for the code
// under test to do something that takes microseconds when it works.
const basePatience = 3 * time.Second

// Patience is how long a test waits for the code under test to do something
// that takes microseconds when it works: accept, answer, return. It only
// bounds a hang; no check judges how fast correct code is. It is generous
// so that a loaded 2-core machine never fails a correct solution, grows
// under the race detector (which slows code five- to tenfold), and grows
// again by the factor in WORKSHOP_PATIENCE, for classrooms on slow or
// shared machines (docs/instructors.md).
var Patience = time.Duration(float64(basePatience) * raceFactor * PatienceFactor())

// PatienceFactor is the multiplier set in WORKSHOP_PATIENCE (for example
// WORKSHOP_PATIENCE=3), or 1 when it is unset or not a number of at
// least 1.
func PatienceFactor() float64 {
	f, err := strconv.ParseFloat(os.Getenv("WORKSHOP_PATIENCE"), 64)
	if err != nil || f < 1 {
		return 1
	}
	return f
}
