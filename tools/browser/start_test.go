package browser

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// startTimeoutOf is an Option that shortens Start's time limit, so that a
// test can see it work in a second.
func startTimeoutOf(d time.Duration) Option {
	return func(c *config) { c.startTimeout = d }
}

// loadTimeoutOf is an Option that shortens the time Open waits for a page to
// load (not for the page to open), so that a test can see it work.
func loadTimeoutOf(d time.Duration) Option {
	return func(c *config) { c.loadTimeout = d }
}

func TestStartFailsWithinItsTimeLimitWhenTheBrowserHangs(t *testing.T) {
	eachBrowserInTurn(t, func(t *testing.T, k Kind) {
		// A "browser" that starts and then never says a word, for longer
		// than the test would ever wait.
		fake := filepath.Join(t.TempDir(), "hanging-"+string(k))
		require.NoError(t, os.WriteFile(fake, []byte("#!/bin/sh\nexec sleep 600\n"), 0o755))
		t.Setenv(k.info().env, fake)

		start := time.Now()
		r := startRecorded(t, k, "Start returned a browser from a program that never answered", startTimeoutOf(time.Second))
		elapsed := time.Since(start)
		assert.GreaterOrEqual(t, elapsed, time.Second, "Start should wait for its whole time limit")
		assert.Less(t, elapsed, time.Second+patience, "Start should give up at its time limit, not wait for the program")
		assert.Contains(t, r.fatal, "no answer within 1s", "the failure should say that the browser did not answer in time")
		assert.Contains(t, r.fatal, fake, "the failure should name the program it started")
	})
}

func testOpenFailsWithinItsTimeLimitWhenThePageNeverLoads(t *testing.T, b *Browser) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<!doctype html><p>loading for ever")
		w.(http.Flusher).Flush()
		select { // the body never ends, so the page never loads
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) }) // runs first: Close waits for the handler
	// Only the load is limited to 2 s, as loadTimeoutOf would for a browser
	// of its own; opening the page keeps its own, generous limit, so a busy
	// machine cannot turn this into another error.
	short := *b
	loadTimeoutOf(2 * time.Second)(&short.cfg)

	start := time.Now()
	_, err := short.open(t, srv.URL)
	require.Error(t, err, "Open should fail on a page that never finishes loading")
	assert.Contains(t, err.Error(), "did not load within 2s", "the error should say that the page did not load in time")
	assert.Less(t, time.Since(start), 2*time.Second+tabTimeout+patience, "Open should give up at its time limit, not wait for the page")
}

func TestFindTakesTheBrowserThatItsVariableNames(t *testing.T) {
	eachBrowserInTurn(t, func(t *testing.T, k Kind) {
		env := k.info().env
		t.Setenv(env, "/nonexistent/"+string(k))
		_, err := Find(k)
		require.Error(t, err, "Find should fail when %s names no executable", env)
		assert.Contains(t, err.Error(), "/nonexistent/"+string(k), "the error should name the path in %s", env)

		self, err := os.Executable()
		require.NoError(t, err)
		t.Setenv(env, self) // any executable will do: Find does not run it
		path, err := Find(k)
		require.NoError(t, err, "Find should accept the executable that %s names", env)
		assert.Equal(t, self, path, "Find should return the path in %s as it is", env)
	})
}

// install is the command that each browser's messages must name.
var install = map[Kind]string{Chromium: "apt-get install -y chromium", Firefox: "apt-get install -y firefox-esr"}

// startWithout runs Start for k with no browser to be found, and with the
// environment variable CI set to ci.
func startWithout(t *testing.T, k Kind, ci string) *recorder {
	t.Setenv("CI", ci)
	t.Setenv(k.info().env, "/nonexistent/"+string(k))
	return startRecorded(t, k, "Start returned a browser although there is none")
}

func TestStartSkipsWhenNoBrowserIsFound(t *testing.T) {
	eachBrowserInTurn(t, func(t *testing.T, k Kind) {
		r := startWithout(t, k, "")
		assert.Empty(t, r.fatal, "Start should not fail the test outside CI")
		assert.Contains(t, r.skipped, install[k], "the skip message should name the package to install")
	})
}

func TestStartFailsInsteadOfSkippingWhenCIIsSet(t *testing.T) {
	eachBrowserInTurn(t, func(t *testing.T, k Kind) {
		r := startWithout(t, k, "true")
		assert.Empty(t, r.skipped, "Start must not skip in CI, where a skip would pass unnoticed")
		assert.Contains(t, r.fatal, "CI is set", "the failure should say why it did not skip")
		assert.Contains(t, r.fatal, install[k], "the failure should name the package to install")
	})
}
