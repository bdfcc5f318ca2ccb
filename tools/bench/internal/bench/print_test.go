package bench

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata/print.golden from Print's output")

// sample is a run with each kind of entry: a learner's server not
// finished, a measured cell, a failed one, and a masking table.
func sample() Result {
	unfinished := Run{Err: "exit status 2: panic: TODO(step 12): write Serve", Unfinished: "make step12"}
	return Result{
		Time: 1500 * time.Millisecond, Warmup: 250 * time.Millisecond,
		Servers: []string{"yours", "reference", "gorilla"},
		Cells: []Cell{
			{Conns: 1, Size: 16, Runs: []Run{unfinished,
				{Messages: 12000, Elapsed: 500 * time.Millisecond, Echoed: 35000, Mallocs: 0, Bytes: 0, CPU: 875 * time.Millisecond},
				{Messages: 8000, Elapsed: 500 * time.Millisecond, Echoed: 24000, Mallocs: 48000, Bytes: 12480000, CPU: 720 * time.Millisecond}}},
			{Conns: 32, Size: 4 << 20, Runs: []Run{unfinished,
				{Err: "connection 3 of 32: read tcp: i/o timeout"},
				{Messages: 50, Elapsed: 500 * time.Millisecond, Echoed: 150, Mallocs: 2850, Bytes: 150 * 9 << 20, CPU: 1350 * time.Millisecond}}},
		},
		Masking: Masking{Impls: []string{"yours", "reference", "gorilla"}, Rows: []MaskRow{
			{Size: 64 << 10, Runs: []MaskRun{{Err: "exit status 2: panic: TODO(step 12): write Mask", Unfinished: "make step12"}, {NsPerOp: 1700}, {NsPerOp: 2650}}},
			{Size: 1 << 20, Runs: []MaskRun{{Err: "exit status 2: panic: TODO(step 12): write Mask", Unfinished: "make step12"}, {NsPerOp: 27000}, {NsPerOp: 43000}}},
		}},
	}
}

func TestPrintMatchesTheGoldenTable(t *testing.T) {
	var out bytes.Buffer
	if err := Print(&out, sample()); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "print.golden")
	if *update {
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if out.String() != string(want) {
		t.Errorf("Print wrote\n%s\nwant (testdata/print.golden; go test -update rewrites it)\n%s", out.String(), want)
	}
}

func TestWriteSVGIsWellFormedXMLWithABarPerMeasuredCell(t *testing.T) {
	res := sample()
	res.Servers[1] = `<ref & "co">` // names are escaped
	var out bytes.Buffer
	if err := WriteSVG(&out, res); err != nil {
		t.Fatal(err)
	}
	dec := xml.NewDecoder(bytes.NewReader(out.Bytes()))
	bars, root := 0, ""
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed XML: %v", err)
		}
		if el, ok := tok.(xml.StartElement); ok {
			if root == "" {
				root = el.Name.Local + " " + el.Name.Space
			}
			for _, a := range el.Attr {
				if el.Name.Local == "rect" && a.Name.Local == "class" && a.Value == "bar" {
					bars++
				}
			}
		}
	}
	if root != "svg http://www.w3.org/2000/svg" {
		t.Errorf("root element %q, want svg in the SVG namespace", root)
	}
	if want := "n/a: yours not finished (make step12); &lt;ref &amp; &#34;co&#34;&gt; failed or not run in 1 of 2 cells"; !strings.Contains(out.String(), want) {
		t.Errorf("the SVG does not say which bars are missing and why: want %q in it", want)
	}
	if bars != 3 {
		t.Errorf("%d bars, want 3: one per measured cell (not the unfinished or failed ones)", bars)
	}
}

func TestParseSizesReadsBytesKiBAndMiB(t *testing.T) {
	got, err := ParseSizes("16, 1K,64K,4M")
	if err != nil || len(got) != 4 || got[0] != 16 || got[1] != 1024 || got[2] != 64<<10 || got[3] != 4<<20 {
		t.Errorf("ParseSizes = %v, %v; want [16 1024 65536 4194304]", got, err)
	}
	for _, bad := range []string{"", "0", "-1", "4G", "1.5K"} {
		if _, err := ParseSizes(bad); err == nil {
			t.Errorf("ParseSizes(%q) took it, want an error", bad)
		}
	}
}

func TestCheckRefusesRunsOutOfBounds(t *testing.T) {
	for name, change := range map[string]func(*Config){
		"time":      func(c *Config) { c.Time = time.Minute },
		"no time":   func(c *Config) { c.Time = 0 },
		"conns":     func(c *Config) { c.Conns = []int{MaxConns + 1} },
		"size":      func(c *Config) { c.Sizes = []int{MaxSize + 1} },
		"mask size": func(c *Config) { c.Masks = []int{0} },
		"server":    func(c *Config) { c.Servers = []string{"nginx"} },
	} {
		c := Default()
		if err := c.Check(); err != nil {
			t.Fatalf("the default config: %v", err)
		}
		if b := c.Budget(); b > 2*time.Minute {
			t.Fatalf("the default run's budget is %s, want at most 2 min", b)
		}
		change(&c)
		if err := c.Check(); err == nil {
			t.Errorf("%s: Check took it, want an error", name)
		}
	}
}

func TestParseAddressRefusesAServerNotOnThisMachine(t *testing.T) {
	got, err := parseAddress("echo server on ws://127.0.0.1:40123/ (Ctrl-C stops it)")
	if err != nil || got != "ws://127.0.0.1:40123/" {
		t.Errorf("parseAddress = %q, %v; want ws://127.0.0.1:40123/", got, err)
	}
	for _, line := range []string{"echo server on ws://10.0.0.7:80/ (Ctrl-C stops it)", "hello", "echo server on ws://[::1]/"} {
		if _, err := parseAddress(line); err == nil {
			t.Errorf("parseAddress(%q) = %v, want it refused", line, err)
		}
	}
}

func TestPicksLeavesOptInServersOutUnlessNamed(t *testing.T) {
	step8 := Server{Name: "step8", OptIn: true}
	gorilla := Server{Name: Baseline}
	var all Config
	if !all.Picks(gorilla) || all.Picks(step8) {
		t.Errorf("no SERVERS: Picks(gorilla) = %v, Picks(step8) = %v; want true, false", all.Picks(gorilla), all.Picks(step8))
	}
	named := Config{Servers: []string{"step8", Baseline}}
	got := Names(named.Pick([]Server{gorilla, {Name: "coder"}, step8}))
	if strings.Join(got, ",") != "step8,"+Baseline {
		t.Errorf("SERVERS=step8,gorilla picks %v, want step8 and gorilla in that order", got)
	}
}
