package e2e

import (
	"crypto/tls"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	refchat "github.com/wsfromtcp/workshop/solutions/10-chat"
	refhard "github.com/wsfromtcp/workshop/solutions/11-hardening"
	yourchat "github.com/wsfromtcp/workshop/steps/10-chat"
	yourhard "github.com/wsfromtcp/workshop/steps/11-hardening"
	"github.com/wsfromtcp/workshop/tools/chatkit"
	"github.com/wsfromtcp/workshop/tools/course"
)

// yours is the seam between the two uses of the test: make test runs it on
// the reference solution, make e2e (go test ./tools/e2e -args -yours) on
// the learner's own steps/.
var yours = flag.Bool("yours", false, "chat on your own server, built from steps/ (make e2e), instead of the reference in solutions/")

// servers are the chat servers the pages chat on: each step that serves
// the chat page, with its reference and the learner's Listen; the tests run
// on each. Step 11's checks the Origin of a handshake, so a page of another
// origin is refused there (TestACrossOriginPageIsRefused).
var servers = []chatServer{
	{step: 10, reference: adapt(refchat.Listen), yours: adapt(yourchat.Listen)},
	{step: 11, checksOrigin: true,
		reference: adapt(func(addr string, c *tls.Config) (*refhard.Server, error) {
			return refhard.Listen(addr, refhard.Options{TLS: c})
		}),
		yours: adapt(func(addr string, c *tls.Config) (*yourhard.Server, error) {
			return yourhard.Listen(addr, yourhard.Options{TLS: c})
		})},
}

type chatServer struct {
	step             int
	reference, yours chatkit.ListenFunc
	checksOrigin     bool // a page of another origin must be refused
}

// listen starts the server that the run is about.
func (s chatServer) listen(addr string, config *tls.Config) (chatkit.Server, error) {
	if *yours {
		return s.yours(addr, config)
	}
	return s.reference(addr, config)
}

// adapt turns a step's Listen, which returns its own *Server, into a
// chatkit.ListenFunc.
func adapt[S chatkit.Server](listen func(string, *tls.Config) (S, error)) chatkit.ListenFunc {
	return func(addr string, config *tls.Config) (chatkit.Server, error) {
		s, err := listen(addr, config)
		if err != nil {
			return nil, err
		}
		return s, nil
	}
}

// browsersRun counts the browsers that started, so that a make e2e that
// found none fails instead of passing on skips alone.
var browsersRun atomic.Int32

// TestMain checks, for make e2e, that the learner's steps are written
// before any test starts the server: a TODO panic in a connection's
// goroutine would end the run with a stack trace that says nothing of
// what to do.
func TestMain(m *testing.M) {
	flag.Parse()
	if *yours {
		// The first chat step must be finished; a later one (step 11) is
		// tested once it is, and until then left out with a note, so that
		// make e2e serves a learner who has just finished step 10.
		root, err := course.Root()
		var ready []chatServer
		for i, s := range servers {
			msg := ""
			if err == nil {
				msg, err = unfinished(root, s.step)
			}
			switch {
			case err != nil:
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			case msg != "" && i == 0:
				fmt.Fprintln(os.Stderr, msg)
				os.Exit(1)
			case msg != "":
				fmt.Fprintf(os.Stderr, "make e2e: step %d is not finished yet, so its server is left out (make step%d grades it).\n", s.step, s.step)
			default:
				ready = append(ready, s)
			}
		}
		servers = ready
	}
	code := m.Run()
	if *yours && code == 0 && browsersRun.Load() == 0 {
		fmt.Fprintln(os.Stderr, "\nmake e2e tested nothing: neither Chromium nor Firefox is installed (see the skips above).\n"+
			"On Debian: sudo apt-get install -y chromium firefox-esr. Elsewhere, install Chromium, Chrome or Firefox, and set\n"+
			"CHROMIUM or FIREFOX to its path if it is not on PATH. Then run make e2e again.")
		code = 1
	}
	os.Exit(code)
}

// todo is a stub's panic of a function that is not written yet.
var todo = regexp.MustCompile(`panic\("(TODO\(step \d+\)[^"]*)"\)`)

// unfinished says what is left to write before the browsers can chat on the
// learner's server of step n, in the repository at root: "" when nothing
// is.
func unfinished(root string, n int) (string, error) {
	c, err := course.Load()
	if err != nil {
		return "", err
	}
	chat, ok := c.Step(n)
	if !ok {
		return "", fmt.Errorf("e2e: the course has no step %d", n)
	}
	todos := func(s course.Step) ([]string, error) {
		files, err := filepath.Glob(filepath.Join(root, s.Dir(), "*.go"))
		if err != nil {
			return nil, err
		}
		var left []string
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			src, err := os.ReadFile(f)
			if err != nil {
				return nil, err
			}
			for i, line := range strings.Split(string(src), "\n") {
				if m := todo.FindStringSubmatch(line); m != nil {
					left = append(left, fmt.Sprintf("  %s/%s:%d  %s", s.Dir(), filepath.Base(f), i+1, m[1]))
				}
			}
		}
		return left, nil
	}
	own, err := todos(chat)
	if err != nil {
		return "", err
	}
	var earlier []int
	for _, need := range chat.Needs {
		s, _ := c.Step(need)
		left, err := todos(s)
		if err != nil {
			return "", err
		}
		if len(left) > 0 {
			earlier = append(earlier, need)
		}
	}
	if len(own) == 0 && len(earlier) == 0 {
		return "", nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "make e2e opens browser pages on your own chat server, %s", chat.Dir())
	if len(chat.Needs) > 0 {
		fmt.Fprintf(&b, ", which runs your steps %s too", numbers(chat.Needs))
	}
	b.WriteString(".\n")
	next := n
	if len(own) > 0 {
		fmt.Fprintf(&b, "Step %d is not finished: these functions still panic with their TODO:\n%s\n", n, strings.Join(own, "\n"))
	}
	if len(earlier) > 0 {
		steps, are := "Steps", "are"
		if len(earlier) == 1 {
			steps, are = "Step", "is"
		}
		either := " either"
		if len(own) == 0 {
			either, next = "", earlier[0]
		}
		fmt.Fprintf(&b, "%s %s %s not finished%s (make progress shows where you are).\n", steps, numbers(earlier), are, either)
	}
	fmt.Fprintf(&b, "Run make step%d to see what is left; once it passes (or once you take the reference with make solve STEP=%d), run make e2e again.", next, next)
	return b.String(), nil
}

// numbers lists step numbers for a sentence: "9", "1 to 9", "2, 5 and 7".
func numbers(ns []int) string {
	if len(ns) > 2 && ns[len(ns)-1]-ns[0] == len(ns)-1 {
		return fmt.Sprintf("%d to %d", ns[0], ns[len(ns)-1])
	}
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = fmt.Sprint(n)
	}
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}
