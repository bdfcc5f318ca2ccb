package grade

import (
	"errors"
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/wsfromtcp/workshop/tools/checker/internal/layout"
)

// TestNames lists the checks of a step from its test files alone, without
// compiling anything (see FileChecks), files in name order. A step that
// does not compile still has a known number of checks, so a grade's
// maximum never changes.
func TestNames(dir string) ([]string, error) {
	files, err := TestFiles(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil // a step folder the learner deleted: its checks come from the course's list
	}
	var names []string
	for _, f := range files {
		names = append(names, f.Checks...)
	}
	return names, err
}

// TestFile is one test file of a step.
type TestFile struct {
	Name   string   // the file's name in the step's folder, such as "server_test.go"
	Src    []byte   // its content
	Checks []string // its checks, in source order (see FileChecks)
}

// TestFiles reads the test files of a step's folder, in name order.
func TestFiles(dir string) ([]TestFile, error) {
	names, err := layout.GoFiles(dir, layout.Tests)
	if err != nil {
		return nil, err
	}
	var files []TestFile
	for _, name := range names {
		f, err := readTestFile(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}

// readTestFile reads one test file and lists its checks.
func readTestFile(path string) (TestFile, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return TestFile{}, err
	}
	checks, err := FileChecks(path, src)
	if err != nil {
		return TestFile{}, err
	}
	return TestFile{Name: filepath.Base(path), Src: src, Checks: checks}, nil
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
