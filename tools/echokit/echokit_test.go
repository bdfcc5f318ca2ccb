package echokit

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
)

func TestReportMemStatsAnswersEachLineWithGrowingCounters(t *testing.T) {
	var out bytes.Buffer
	if err := ReportMemStats(strings.NewReader("\n\n"), &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("two lines asked, got %q", out.String())
	}
	var prev [3]int64
	for _, l := range lines {
		var mallocs, bytes, cpu int64
		if _, err := fmt.Sscanf(l, MemStatsFormat, &mallocs, &bytes, &cpu); err != nil {
			t.Fatalf("line %q does not match MemStatsFormat: %v", l, err)
		}
		if mallocs == 0 || bytes == 0 || mallocs < prev[0] || bytes < prev[1] || cpu < prev[2] {
			t.Fatalf("counters %d, %d, %d after %v: want positive and never shrinking", mallocs, bytes, cpu, prev)
		}
		if _, known := processCPU(); known && cpu <= 0 {
			t.Fatalf("cpu_us=%d: this process has used CPU time, and the system says how much", cpu)
		}
		prev = [3]int64{mallocs, bytes, cpu}
	}
}

func TestReportMemStatsAllocatesNothingPerAnswer(t *testing.T) {
	const n = 1000
	lines := strings.Repeat("\n", n)
	allocs := testing.AllocsPerRun(1, func() {
		_ = ReportMemStats(strings.NewReader(lines), io.Discard)
	})
	// The scanner's buffer, the line, the reader: a handful per call, not per answer.
	if allocs > 10 {
		t.Fatalf("%v allocations for %d answers: want a handful per call, none per answer", allocs, n)
	}
}
