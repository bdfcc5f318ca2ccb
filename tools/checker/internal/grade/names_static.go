package grade

import (
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// TestNames lists the checks of a step from its test files alone, without
// compiling anything (see FileChecks), files in name order. A step that
// does not compile still has a known number of checks, so a grade's
// maximum never changes.
func TestNames(dir string) ([]string, error) {
	matches, err := filepath.Glob(filepath.Join(dir, "*_test.go"))
	if err != nil {
		return nil, err
	}
	sort.Strings(matches)
	var names []string
	for _, path := range matches {
		src, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		checks, err := FileChecks(path, src)
		if err != nil {
			return nil, err
		}
		names = append(names, checks...)
	}
	return names, nil
}

// FileChecks lists the checks of one test file in source order: the tests
// and fuzz targets (TestMain is not a check) and the examples that have an
// output comment, the ones go test runs.
func FileChecks(path string, src []byte) ([]string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), path, src, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	run := map[string]bool{}
	for _, ex := range doc.Examples(f) {
		if ex.Output != "" || ex.EmptyOutput {
			run["Example"+ex.Name] = true
		}
	}
	var names []string
	for _, d := range f.Decls {
		switch name := funcName(d); {
		case name == "TestMain":
		case isCheck(name, "Test"), isCheck(name, "Fuzz"), run[name]:
			names = append(names, name)
		}
	}
	return names, nil
}

// isCheck follows go test's rule: "TestXxx", where Xxx does not start with
// a lower-case letter.
func isCheck(name, prefix string) bool {
	rest, ok := strings.CutPrefix(name, prefix)
	return ok && (rest == "" || !('a' <= rest[0] && rest[0] <= 'z'))
}
func funcName(d ast.Decl) string {
	fn, ok := d.(*ast.FuncDecl)
	if !ok || fn.Recv != nil {
		return ""
	}
	return fn.Name.Name
}
