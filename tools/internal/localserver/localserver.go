// Package localserver is what the attack kit (tools/attack) and the load
// report (tools/load) know of the server they are turned on: whether its
// address is on this machine, which is the only kind of server either may
// be turned on, and its memory, read from /proc.
package localserver

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
)

// Loopback reports whether host, a name or an IP address without a port,
// is this machine: localhost, 127.0.0.0/8 or ::1.
func Loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Memory is a process's memory as Linux reports it, in bytes.
type Memory struct {
	RSS  int64 // VmRSS: resident in RAM
	Size int64 // VmSize: address space, which grows with allocations the kernel has not backed yet
}

// ReadMemory reads VmRSS and VmSize of process pid from /proc/PID/status.
// A process without VmRSS (a kernel thread, or not Linux) is an error: its
// memory would read as zero, which says nothing.
func ReadMemory(pid int) (Memory, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return Memory{}, err
	}
	defer f.Close()
	var m Memory
	found := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, value, _ := strings.Cut(sc.Text(), ":")
		if name != "VmRSS" && name != "VmSize" {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 10, 64)
		if err != nil {
			return Memory{}, fmt.Errorf("/proc/%d/status: %s: %w", pid, name, err)
		}
		if name == "VmRSS" {
			m.RSS, found = kb<<10, true
		} else {
			m.Size = kb << 10
		}
	}
	if err := sc.Err(); err != nil {
		return Memory{}, err
	}
	if !found {
		return Memory{}, fmt.Errorf("no VmRSS in /proc/%d/status (a kernel thread, or not Linux?)", pid)
	}
	return m, nil
}
