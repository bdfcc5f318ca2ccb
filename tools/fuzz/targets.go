package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/wsfromtcp/workshop/tools/course"
)

// fuzzTargets lists the fuzz targets in the test files of step s, in the
// order of the files and of the functions in them.
func fuzzTargets(root string, s course.Step) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(root, s.Dir(), "*_test.go"))
	if err != nil {
		return nil, err
	}
	var names []string
	fset := token.NewFileSet()
	for _, file := range files {
		f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		for _, decl := range f.Decls {
			if fd, ok := decl.(*ast.FuncDecl); ok && fd.Recv == nil && strings.HasPrefix(fd.Name.Name, "Fuzz") {
				names = append(names, fd.Name.Name)
			}
		}
	}
	return names, nil
}

// stepsWithTargets names the steps that have a fuzz target: "2, 3, 4".
func stepsWithTargets(root string, c course.Course) string {
	var have []string
	for _, s := range c.Steps {
		if names, err := fuzzTargets(root, s); err == nil && len(names) > 0 {
			have = append(have, strconv.Itoa(s.Number))
		}
	}
	return strings.Join(have, ", ")
}
