// Command readme writes the README's step table from tools/course/steps.json
// (make readme-steps): one row per step, between the markers
// "<!-- steps: … -->" and "<!-- /steps -->". A course test fails while the
// table is stale.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/wsfromtcp/workshop/tools/course"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "readme:", err)
		os.Exit(1)
	}
}

func run() error {
	root, err := course.Root()
	if err != nil {
		return err
	}
	path := filepath.Join(root, "README.md")
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	c, err := course.Load()
	if err != nil {
		return err
	}
	readme, err := c.WithStepTable(string(data))
	if err != nil {
		return err
	}
	if readme == string(data) {
		fmt.Println("README.md's step table is up to date.")
		return nil
	}
	fmt.Println("README.md: wrote the step table from tools/course/steps.json.")
	return os.WriteFile(path, []byte(readme), 0o644)
}
