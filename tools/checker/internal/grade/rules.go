package grade

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"sort"
	"strings"

	"github.com/wsfromtcp/workshop/tools/checker/internal/layout"
)

// forbidden are the packages that would do the workshop's work for the
// learner. A package under steps/ or solutions/ may import none of them,
// directly or through another package.
var forbidden = []string{
	"net/http",
	"github.com/gorilla/websocket",
	"github.com/coder/websocket",
	"nhooyr.io/websocket",
	"golang.org/x/net/websocket",
	"github.com/gobwas/ws",
	"github.com/lxzan/gws",
}

func isForbidden(pkg string) bool {
	for _, f := range forbidden {
		if pkg == f || strings.HasPrefix(pkg, f+"/") {
			return true
		}
	}
	return false
}

// RawTCP lists, for the non-test packages matched by patterns (such as
// "./steps/..."), every dependency that breaks the raw-TCP rule, as
// sentences: "steps/03-handshake imports net/http". Test files are not
// looked at: tests may use any real client to judge the server.
func RawTCP(ctx context.Context, l layout.Layout, patterns ...string) ([]string, error) {
	args := append([]string{"list", "-e", "-f", "{{.ImportPath}}\t{{join .Imports \" \"}}\t{{join .Deps \" \"}}"}, patterns...)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = l.Root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("grade: go list: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	var found []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		parts := strings.Split(line, "\t")
		if len(parts) != 3 {
			continue
		}
		pkg := strings.TrimPrefix(parts[0], l.Module+"/") // steps/03-handshake
		direct := map[string]bool{}
		for _, imp := range strings.Fields(parts[1]) {
			direct[imp] = true
		}
		for _, dep := range strings.Fields(parts[2]) {
			if !isForbidden(dep) {
				continue
			}
			how := "imports"
			if !direct[dep] {
				how = "depends (through another package) on"
			}
			found = append(found, fmt.Sprintf("%s %s %s: the workshop builds on raw TCP (net, bufio, crypto/*, encoding/*) only", pkg, how, dep))
		}
	}
	sort.Strings(found)
	return found, nil
}
