// Command rfcmap writes docs/rfc6455.md (make rfc-map): every server
// requirement of RFC 6455 in tools/course/rfc6455.json, quoted, with the
// lines of solutions/ that meet it and the checks that prove it, as their
// tag comments say. It also writes the README's coverage line and the link
// at the end of each chapter whose step implements requirements.
//
//	go run ./tools/course/cmd/rfcmap [-rfc rfc6455.txt]   write them
//	go run ./tools/course/cmd/rfcmap -coverage            print the coverage line (make test)
//
// With -rfc, the RFC's plain text (https://www.rfc-editor.org/rfc/rfc6455.txt),
// it first checks that every quotation is exact. It exits 1 when a
// requirement is untraced or a tag is wrong.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/wsfromtcp/workshop/tools/course"
	"github.com/wsfromtcp/workshop/tools/course/rfcmap"
)

func main() {
	rfc := flag.String("rfc", "", "the RFC's plain text, to check the quotations against")
	coverage := flag.Bool("coverage", false, "only print the coverage line")
	flag.Parse()
	if err := run(*rfc, *coverage); err != nil {
		fmt.Fprintln(os.Stderr, "rfcmap:", err)
		os.Exit(1)
	}
}

func run(rfcText string, coverageOnly bool) error {
	t, c, err := rfcmap.ScanCheckout()
	if err != nil {
		return err
	}
	if rfcText != "" {
		text, err := os.ReadFile(rfcText)
		if err != nil {
			return err
		}
		if bad := t.Map.MisquotedIn(string(text)); len(bad) > 0 {
			for _, r := range bad {
				fmt.Fprintf(os.Stderr, "%s: not in the RFC's text, whitespace aside: %q\n", r.ID, r.Quote)
			}
			return fmt.Errorf("%d quotations are not exact", len(bad))
		}
		fmt.Printf("All %d quotations are exact.\n", len(t.Map.Requirements))
	}
	root, err := course.Root()
	if err != nil {
		return err
	}
	if !coverageOnly {
		if err := write(root, c, t); err != nil {
			return err
		}
		if rfcText == "" {
			fmt.Println("Quotations not checked against the RFC: make rfc-map RFC=rfc6455.txt does (https://www.rfc-editor.org/rfc/rfc6455.txt).")
		}
	}
	fmt.Println(t.Coverage())
	var errs []error
	for _, p := range append(t.Problems, t.Untraced()...) {
		errs = append(errs, errors.New(p))
	}
	return errors.Join(errs...)
}

// write writes the page, the README's coverage line and the chapters'
// links, each only when it changes.
func write(root string, c course.Course, t *rfcmap.Trace) error {
	update := func(rel string, edit func(string) (string, error)) error {
		path := filepath.Join(root, rel)
		old, err := os.ReadFile(path)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		text, err := edit(string(old))
		if err != nil || text == string(old) {
			return err
		}
		fmt.Println("wrote", rel)
		return os.WriteFile(path, []byte(text), 0o644)
	}
	if err := update(rfcmap.Page, func(string) (string, error) { return t.Markdown(c), nil }); err != nil {
		return err
	}
	if err := update("README.md", t.WithCoverage); err != nil {
		return err
	}
	for _, s := range c.Steps {
		if len(t.OfStep(s.Number)) == 0 {
			continue
		}
		err := update(s.Chapter(), func(text string) (string, error) {
			if strings.TrimSpace(text) == "" {
				return "", fmt.Errorf("%s is missing", s.Chapter())
			}
			return rfcmap.WithChapterLine(text, s.Number), nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}
