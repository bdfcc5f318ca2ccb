// Command classroom is the instructor's live dashboard (make classroom,
// docs/instructors.md): it serves the page and the learners' endpoint on
// one port, built on the workshop's reference solutions (see package
// dashboard), prints the address and join code, and on Ctrl-C writes every
// learner's row to a CSV and a JSON file.
//
//	go run ./tools/classroom [-addr :8099] [-code CODE] [-export PREFIX]
package main

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/wsfromtcp/workshop/tools/classroom/dashboard"
	"github.com/wsfromtcp/workshop/tools/course"
)

func main() {
	addr := flag.String("addr", ":8099", "host:port to listen on (all interfaces by default, so that the room can reach it)")
	code := flag.String("code", "", "the join code (default: the one this checkout's last dashboard used, or a new one)")
	export := flag.String("export", "", "on Ctrl-C, write PREFIX.csv and PREFIX.json (default: .workshop/classroom-DATE-TIME)")
	flag.Parse()
	if err := run(*addr, *code, *export); err != nil {
		fmt.Fprintln(os.Stderr, "classroom:", err)
		os.Exit(1)
	}
}

func run(addr, code, export string) error {
	root, err := course.Root()
	if err != nil {
		return err
	}
	c, err := course.Load()
	if err != nil {
		return err
	}
	cfg, err := settings(filepath.Join(root, ".workshop", "classroom-server.json"), code)
	if err != nil {
		return err
	}
	cfg.Course = c
	srv, err := dashboard.Listen(addr, cfg)
	if err != nil {
		return fmt.Errorf("%w (another port: make classroom ADDR=:8100)", err)
	}
	bound := srv.Addr().(*net.TCPAddr)
	ip := bound.IP.String()
	if bound.IP.IsUnspecified() {
		ip = lanAddress() // listening everywhere: say where the room finds it
	}
	host := net.JoinHostPort(ip, fmt.Sprint(bound.Port))
	fmt.Printf("Classroom dashboard: http://%s/  (projector view: http://%s/#projector)\n", host, host)
	fmt.Printf("Learners join with:  make join CLASS=%s CODE=%s NAME=their-name\n", host, cfg.Code)
	fmt.Printf("Announcements: post from the page on this machine, or from another with http://%s/?admin=%s\n", host, cfg.Token)
	fmt.Println("Ctrl-C stops the dashboard and writes the class's rows to CSV and JSON.")

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	<-stop
	if export == "" {
		export = filepath.Join(root, ".workshop", "classroom-"+time.Now().Format("20060102-150405"))
	}
	err = srv.Room().Export(export, time.Now())
	srv.Close()
	if err != nil {
		return err
	}
	fmt.Printf("\nWrote %s.csv and %s.json\n", export, export)
	return nil
}

// settings returns the join code and admin token: code when given, else
// those saved at path by the last run, else new ones; and saves them, so
// that a restarted dashboard keeps its learners.
func settings(path, code string) (dashboard.Config, error) {
	var cfg dashboard.Config
	data, err := os.ReadFile(path)
	switch {
	case err == nil:
		if err := json.Unmarshal(data, &cfg); err != nil {
			return cfg, fmt.Errorf("%s: %w (delete it for a new code)", path, err)
		}
	case !errors.Is(err, os.ErrNotExist):
		return cfg, err
	}
	if code != "" {
		cfg.Code = code
	}
	if cfg.Code == "" {
		cfg.Code = random(6)
	}
	if cfg.Token == "" {
		cfg.Token = random(20)
	}
	if len(cfg.Code) > dashboard.MaxCodeLen {
		return cfg, fmt.Errorf("the code %q is longer than %d characters", cfg.Code, dashboard.MaxCodeLen)
	}
	data, _ = json.Marshal(struct{ Code, Token string }{cfg.Code, cfg.Token})
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return cfg, err
	}
	return cfg, os.WriteFile(path, data, 0o600)
}

// random returns n characters that cannot be mistaken for one another
// when read off a projector.
func random(n int) string {
	const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// lanAddress is this machine's first IPv4 address on a network that is up
// and not loopback: where the room reaches the dashboard. Without one, the
// loopback address.
func lanAddress() string {
	ifaces, _ := net.Interfaces()
	for _, iface := range ifaces {
		if iface.Flags&net.FlagUp == 0 || iface.Flags&net.FlagLoopback != 0 {
			continue
		}
		addrs, _ := iface.Addrs()
		for _, a := range addrs {
			if ipn, ok := a.(*net.IPNet); ok && ipn.IP.To4() != nil && ipn.IP.IsGlobalUnicast() {
				return ipn.IP.String()
			}
		}
	}
	return "127.0.0.1"
}
