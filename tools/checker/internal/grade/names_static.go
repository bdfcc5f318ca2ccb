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
// compiling anything: the tests, fuzz targets and the examples that have
// an output comment (the ones go test runs). A step that does not compile
// still has a known number of checks, so a grade's maximum never changes.
func TestNames(dir string) ([]string, error) {
	fset := token.NewFileSet()
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
		f, err := parser.ParseFile(fset, path, src, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		for _, d := range f.Decls {
			name := funcName(d)
			if isCheck(name, "Test") || isCheck(name, "Fuzz") {
				names = append(names, name)
			}
		}
		for _, ex := range doc.Examples(f) {
			if ex.Output != "" || ex.EmptyOutput {
				names = append(names, "Example"+ex.Name)
			}
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
