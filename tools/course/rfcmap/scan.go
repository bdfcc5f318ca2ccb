// Package rfcmap traces each requirement of tools/course/rfc6455.json to
// the code that meets it and the checks that prove it, from tag comments
// that name its id (R-5.1-1):
//
//   - in solutions/NN-*/ (not tests): the line that implements it;
//   - in a step test, steps/NN-*/*_test.go, inside or just above a Test,
//     Example or Fuzz function: that check proves it, and quotes under its
//     ✗ the requirements its first tag line names;
//   - in tools/conformance/suite/cases.go: the case added on the same line,
//     or by the next add(…) call, proves it;
//   - in a Test function of tools/conformance/suite/*_test.go: that test
//     proves the reference solution meets it (for what the step checks
//     leave to the learner).
//
// make rfc-map writes docs/rfc6455.md from the trace, and its test fails on
// a stale page, an unknown id, an implemented requirement without code or
// without a check, or a requirement that is neither implemented nor marked
// not applicable. The checker quotes, under a failing check, the
// requirements its tags name.
package rfcmap

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/wsfromtcp/workshop/tools/course"
)

// CasesFile is the conformance suite's table of cases, and SuiteDir its
// folder, whose tests prove what the reference does beyond the cases.
const (
	CasesFile = "tools/conformance/suite/cases.go"
	SuiteDir  = "tools/conformance/suite"
)

// Site is a tagged line: File is relative to the repository root.
type Site struct {
	File string
	Line int
	Step int // 0 for the conformance suite
}

// The kinds of check that prove a requirement.
const (
	StepCheck       = "step"        // a step's Test, Example or Fuzz function: make stepN grades the learner's code with it
	ConformanceCase = "conformance" // a case of the conformance suite, which step 8's checks run too
	ReferenceTest   = "reference"   // a test of the conformance suite's package on the reference solution alone
)

// Check is a check that proves a requirement.
type Check struct {
	Site
	Kind string // StepCheck, ConformanceCase or ReferenceTest
	Name string // TestReadClientFrameRejectsAnUnmaskedFrame, or "9.1 fails an unmasked client frame with 1002"
}

// Trace is what the tags say of every requirement.
type Trace struct {
	Map      course.RFCMap
	Impl     map[string][]Site   // id → the lines that implement it
	Checks   map[string][]Check  // id → the checks that prove it
	ByCheck  map[string][]string // "slug/TestName" → the ids its tags name, in order
	Quoted   map[string][]string // "slug/TestName" → the ids of its first tag line: what it quotes under its ✗
	first    map[string]int      // "slug/TestName" → the line of its first tag
	Problems []string            // tags that name no requirement, or stand where they mean nothing
}

// Scan reads the tags of the steps' solutions and tests and of the
// conformance suite (its cases and its own tests), under root.
func Scan(root string, c course.Course, m course.RFCMap) (*Trace, error) {
	t := &Trace{Map: m, Impl: map[string][]Site{}, Checks: map[string][]Check{}, ByCheck: map[string][]string{},
		Quoted: map[string][]string{}, first: map[string]int{}}
	for _, s := range c.Steps {
		if err := t.scanDir(root, s.SolutionDir(), s, false); err != nil {
			return nil, err
		}
		if err := t.scanDir(root, s.Dir(), s, true); err != nil {
			return nil, err
		}
	}
	if err := t.scanCases(root); err != nil {
		return nil, err
	}
	if err := t.scanDir(root, SuiteDir, course.Step{}, true); err != nil {
		return nil, err
	}
	t.checkTags()
	return t, nil
}

// ScanCheckout scans the checkout that the working directory is in, with
// its own step list and requirements.
func ScanCheckout() (*Trace, course.Course, error) {
	root, err := course.Root()
	if err != nil {
		return nil, course.Course{}, err
	}
	c, err := course.Load()
	if err != nil {
		return nil, c, err
	}
	m, err := course.LoadRFC()
	if err != nil {
		return nil, c, err
	}
	t, err := Scan(root, c, m)
	return t, c, err
}

// tag is one id written in a comment.
type tag struct {
	id   string
	line int
	pos  token.Pos
}

func tagsOf(fset *token.FileSet, f *ast.File) []tag {
	var out []tag
	for _, g := range f.Comments {
		for _, c := range g.List {
			for _, id := range course.RequirementID.FindAllString(c.Text, -1) {
				out = append(out, tag{id: id, line: fset.Position(c.Slash).Line, pos: c.Slash})
			}
		}
	}
	return out
}

func parse(root, rel string) (*token.FileSet, *ast.File, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filepath.Join(root, rel), nil, parser.ParseComments|parser.SkipObjectResolution)
	return fset, f, err
}

// scanDir reads the .go files of one folder: the solution's code, or the
// step's tests.
func (t *Trace) scanDir(root, dir string, s course.Step, tests bool) error {
	entries, err := os.ReadDir(filepath.Join(root, dir))
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") != tests {
			continue
		}
		rel := dir + "/" + name
		fset, f, err := parse(root, rel)
		if err != nil {
			return err
		}
		for _, tg := range tagsOf(fset, f) {
			site := Site{File: rel, Line: tg.line, Step: s.Number}
			if !tests {
				t.Impl[tg.id] = append(t.Impl[tg.id], site)
				continue
			}
			fn := enclosingCheck(f, tg.pos)
			if fn == nil {
				t.problem(site, "%s is tagged outside a Test, Example or Fuzz function, so no check proves it", tg.id)
				continue
			}
			site.Line = fset.Position(fn.Name.Pos()).Line
			kind := StepCheck
			if s.Number == 0 {
				kind = ReferenceTest
			}
			key := s.Slug + "/" + fn.Name.Name
			t.addCheck(tg.id, Check{Site: site, Kind: kind, Name: fn.Name.Name}, key)
			if line, ok := t.first[key]; !ok || line == tg.line {
				t.first[key] = tg.line
				t.Quoted[key] = append(t.Quoted[key], tg.id)
			}
		}
	}
	return nil
}

// enclosingCheck is the top-level check function whose body or doc comment
// holds pos, or nil.
func enclosingCheck(f *ast.File, pos token.Pos) *ast.FuncDecl {
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Recv != nil {
			continue
		}
		start := fn.Pos()
		if fn.Doc != nil {
			start = fn.Doc.Pos()
		}
		if pos < start || pos > fn.End() {
			continue
		}
		for _, prefix := range []string{"Test", "Example", "Fuzz"} {
			if strings.HasPrefix(fn.Name.Name, prefix) {
				return fn
			}
		}
	}
	return nil
}

// scanCases reads the conformance suite's add(id, section, name, run)
// calls and the tags that belong to them.
func (t *Trace) scanCases(root string) error {
	fset, f, err := parse(root, CasesFile)
	if err != nil {
		return err
	}
	var adds []*ast.CallExpr
	ast.Inspect(f, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && len(call.Args) == 4 {
			if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "add" {
				adds = append(adds, call)
			}
		}
		return true
	})
	for _, tg := range tagsOf(fset, f) {
		site := Site{File: CasesFile, Line: tg.line}
		i := slices.IndexFunc(adds, func(c *ast.CallExpr) bool {
			return fset.Position(c.Pos()).Line == tg.line || c.Pos() > tg.pos
		})
		if i < 0 {
			t.problem(site, "%s is tagged after the last case of the conformance suite", tg.id)
			continue
		}
		call := adds[i]
		site.Line = fset.Position(call.Pos()).Line
		name := shown(call.Args[0]) + " " + shown(call.Args[2])
		t.addCheck(tg.id, Check{Site: site, Kind: ConformanceCase, Name: name}, "conformance/"+name)
	}
	return nil
}

// shown writes an argument of add as a reader would say it: a string as
// it is, a Sprintf's format with "n" for each verb, a concatenation with
// "…" for what is not a string literal.
func shown(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.BasicLit:
		if s, err := strconv.Unquote(e.Value); err == nil {
			return s
		}
	case *ast.BinaryExpr:
		return shown(e.X) + shown(e.Y)
	case *ast.CallExpr:
		if len(e.Args) > 0 {
			format := shown(e.Args[0])
			for _, verb := range []string{"%d", "%#x", "%q", "%s", "%v"} {
				format = strings.ReplaceAll(format, verb, "n")
			}
			return format
		}
	}
	return "…"
}

func (t *Trace) addCheck(id string, c Check, key string) {
	if !slices.ContainsFunc(t.Checks[id], func(x Check) bool { return x.Name == c.Name && x.File == c.File }) {
		t.Checks[id] = append(t.Checks[id], c)
	}
	if !slices.Contains(t.ByCheck[key], id) {
		t.ByCheck[key] = append(t.ByCheck[key], id)
	}
}

func (t *Trace) problem(s Site, format string, args ...any) {
	t.Problems = append(t.Problems, fmt.Sprintf("%s:%d: %s", s.File, s.Line, fmt.Sprintf(format, args...)))
}

// checkTags adds a problem for each tag that names no requirement, and for
// each implementing tag on a requirement marked not applicable.
func (t *Trace) checkTags() {
	for id, sites := range t.Impl {
		r, ok := t.Map.Requirement(id)
		switch {
		case !ok:
			t.problem(sites[0], "%s is not an id of tools/course/rfc6455.json", id)
		case r.Status == course.NotApplicable:
			t.problem(sites[0], "%s is marked not applicable in tools/course/rfc6455.json, yet code says it implements it", id)
		}
	}
	for id, checks := range t.Checks {
		if _, ok := t.Map.Requirement(id); !ok {
			t.problem(checks[0].Site, "%s is not an id of tools/course/rfc6455.json", id)
		}
	}
	slices.Sort(t.Problems)
}
