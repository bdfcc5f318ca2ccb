package browser

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// process is one process as /proc/PID/stat shows it.
type process struct {
	pid, ppid int
	state     byte   // R, S, Z, …
	start     uint64 // the time it started, in clock ticks after boot: with pid, who it is
}

// readProcess reads /proc/PID/stat; false when there is no such process.
func readProcess(pid int) (process, bool) {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return process{}, false
	}
	// stat is "pid (comm) state ppid … starttime …", and comm may hold
	// spaces or ")": the fields that matter come after its last ")".
	end := bytes.LastIndexByte(stat, ')')
	if end < 0 {
		return process{}, false
	}
	fields := bytes.Fields(stat[end+1:])
	if len(fields) < 20 || len(fields[0]) != 1 {
		return process{}, false
	}
	ppid, err1 := strconv.Atoi(string(fields[1]))
	start, err2 := strconv.ParseUint(string(fields[19]), 10, 64)
	if err1 != nil || err2 != nil {
		return process{}, false
	}
	return process{pid: pid, ppid: ppid, state: fields[0][0], start: start}, true
}

// processesOf returns the live processes of the browser that keeps its
// profile in dir: those whose command line names a path in dir, and their
// descendants. Every Chromium process names the directory (its helpers
// have --user-data-dir, its crash handlers --database), but only Firefox's
// main process does (--profile): its content processes are its children.
// The directory is the test's own, so this finds all of one browser's
// processes and no other's. It finds nothing where there is no /proc.
func processesOf(dir string) map[int]process {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	needle := []byte(dir + string(filepath.Separator))
	all := map[int]process{}
	found := map[int]process{}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		p, ok := readProcess(pid)
		if !ok || p.state == 'Z' {
			continue // a zombie is dead already, and has no command line
		}
		all[pid] = p
		if cmdline, err := os.ReadFile("/proc/" + e.Name() + "/cmdline"); err == nil && bytes.Contains(cmdline, needle) {
			found[pid] = p
		}
	}
	// Add descendants until there are no more: a child's parent may be
	// listed after it, so one pass is not enough.
	for grew := true; grew; {
		grew = false
		for pid, p := range all {
			if _, in := found[pid]; !in {
				if _, parentIn := found[p.ppid]; parentIn {
					found[pid] = p
					grew = true
				}
			}
		}
	}
	return found
}

// killLeftovers kills the processes of the browser in dir that are left once
// the browser process has exited, and those of seen (its processes before
// it closed: a helper that outlives its parent is no longer its child),
// and waits, for at most reapTimeout, until all of them are dead, so that
// no browser outlives its test.
func killLeftovers(dir string, seen map[int]process) {
	if seen == nil {
		seen = map[int]process{}
	}
	deadline := time.Now().Add(reapTimeout)
	for {
		for pid, p := range processesOf(dir) {
			seen[pid] = p
		}
		gone := true
		for pid, p := range seen {
			now, ok := readProcess(pid)
			// The start time keeps a reused PID from being taken for ours.
			if !ok || now.start != p.start || now.state == 'Z' {
				delete(seen, pid)
				continue
			}
			gone = false
			if proc, err := os.FindProcess(pid); err == nil {
				_ = proc.Kill()
				_ = proc.Release()
			}
		}
		if gone || time.Now().After(deadline) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}
