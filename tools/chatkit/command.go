package chatkit

import (
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"maps"
	"net"
	"os"
	"os/signal"
	"slices"
)

// Server is what a command needs of a server it runs: step 10's
// *chat.Server, or step 8's echo server.
type Server interface {
	Addr() net.Addr
	Close() error
}

// ListenFunc starts a chat server on addr, inside TLS when config is set:
// step 10's chat.Listen.
type ListenFunc func(addr string, config *tls.Config) (Server, error)

// Main is the chat command, for the learner's server (steps/cmd/chat) and
// the reference (solutions/cmd/chat) alike: it reads the flags -addr, -tls,
// -cert and -key, starts the server with listen, prints where it is (and a
// self-signed certificate's fingerprint), and closes it on Ctrl-C. It exits
// the program with status 1 on an error.
func Main(listen ListenFunc) {
	addr := flag.String("addr", "127.0.0.1:8080", "host:port to listen on")
	useTLS := flag.Bool("tls", false, "serve https:// and wss:// (with a self-signed certificate unless -cert and -key are given)")
	certFile := flag.String("cert", "", "PEM certificate file for -tls")
	keyFile := flag.String("key", "", "PEM private key file for -tls")
	flag.Parse()

	if err := run(listen, *addr, *useTLS, *certFile, *keyFile); err != nil {
		fmt.Fprintln(os.Stderr, "chat:", err)
		os.Exit(1)
	}
}

// MainOf is Main for a command that serves the chat of more than one
// step: the flag -step picks which of listens runs, def when it is not
// given.
func MainOf(listens map[int]ListenFunc, def int) {
	steps := slices.Sorted(maps.Keys(listens))
	step := flag.Int("step", def, fmt.Sprintf("which step's chat server to run: one of %v", steps))
	Main(func(addr string, config *tls.Config) (Server, error) {
		listen, ok := listens[*step]
		if !ok {
			return nil, fmt.Errorf("-step %d: this command serves the chat of steps %v", *step, steps)
		}
		return listen(addr, config)
	})
}

func run(listen ListenFunc, addr string, useTLS bool, certFile, keyFile string) error {
	var config *tls.Config
	scheme := "http"
	if useTLS {
		cert, err := certificate(certFile, keyFile)
		if err != nil {
			return err
		}
		config = ServerConfig(cert)
		scheme = "https"
	}
	srv, err := listen(addr, config)
	if err != nil {
		return err
	}
	fmt.Printf("chat on %s://%s/ (Ctrl-C stops it)\n", scheme, srv.Addr())
	return CloseOnInterrupt(srv, "saying goodbye (1001 going away) to everyone")
}

// CloseOnInterrupt waits for Ctrl-C, says what happens next, and closes
// srv: the end of the chat and echo commands alike.
func CloseOnInterrupt(srv Server, goodbye string) error {
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt)
	<-stop
	fmt.Println("\n" + goodbye)
	return srv.Close()
}

// certificate loads the given pair, or makes a self-signed one for this
// machine and prints its fingerprint, to compare with the browser's.
func certificate(certFile, keyFile string) (tls.Certificate, error) {
	if certFile != "" || keyFile != "" {
		if certFile == "" || keyFile == "" {
			return tls.Certificate{}, errors.New("-cert and -key go together")
		}
		return tls.LoadX509KeyPair(certFile, keyFile)
	}
	cert, err := SelfSigned("localhost", "127.0.0.1", "::1")
	if err != nil {
		return tls.Certificate{}, err
	}
	fmt.Println("self-signed certificate for localhost, 127.0.0.1 and ::1")
	fmt.Println("SHA-256 fingerprint:", Fingerprint(cert))
	fmt.Println("your browser will warn that nobody vouches for it: compare the fingerprint, then accept it")
	return cert, nil
}
