// Command steps prints the workshop's step list from tools/course/steps.json,
// for make help.
package main

import (
	"fmt"

	"github.com/wsfromtcp/workshop/tools/course"
)

func main() {
	for _, s := range course.MustLoad().Steps {
		fmt.Printf("  %2d  %-18s %s (about %d min)\n", s.Number, s.Slug, s.Title, s.Minutes)
	}
}
