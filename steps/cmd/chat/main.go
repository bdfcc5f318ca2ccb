// Command chat is your chat server, built from your own steps 1 to
// 10: open its address in two browser windows and talk.
//
//	go run ./steps/cmd/chat -addr 127.0.0.1:8080          # http:// and ws://
//	go run ./steps/cmd/chat -addr 127.0.0.1:8443 -tls     # https:// and wss://, self-signed
//	go run ./steps/cmd/chat -tls -cert c.pem -key k.pem   # https:// and wss://, your certificate
//
// The reference solution is make chat (go run ./solutions/cmd/chat).
package main

import (
	"crypto/tls"
	"flag"
	"fmt"
	"os"
	"os/signal"

	chat "github.com/wsfromtcp/workshop/steps/10-chat"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "host:port to listen on")
	useTLS := flag.Bool("tls", false, "serve https:// and wss:// (with a self-signed certificate unless -cert and -key are given)")
	certFile := flag.String("cert", "", "PEM certificate file for -tls")
	keyFile := flag.String("key", "", "PEM private key file for -tls")
	flag.Parse()

	if err := run(*addr, *useTLS, *certFile, *keyFile); err != nil {
		fmt.Fprintln(os.Stderr, "chat:", err)
		os.Exit(1)
	}
}

func run(addr string, useTLS bool, certFile, keyFile string) error {
	var config *tls.Config
	scheme := "http"
	if useTLS {
		cert, err := certificate(certFile, keyFile)
		if err != nil {
			return err
		}
		config = chat.TLSConfig(cert)
		scheme = "https"
	}
	srv, err := chat.Listen(addr, config)
	if err != nil {
		return err
	}
	fmt.Printf("chat on %s://%s/ (Ctrl-C stops it)\n", scheme, srv.Addr())

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt)
	<-stop
	fmt.Println("\nsaying goodbye (1001 going away) to everyone")
	return srv.Close()
}

// certificate loads the given pair, or makes a self-signed one for this
// machine and prints its fingerprint, to compare with the browser's.
func certificate(certFile, keyFile string) (tls.Certificate, error) {
	if certFile != "" || keyFile != "" {
		if certFile == "" || keyFile == "" {
			return tls.Certificate{}, fmt.Errorf("-cert and -key go together")
		}
		return tls.LoadX509KeyPair(certFile, keyFile)
	}
	cert, err := chat.SelfSigned("localhost", "127.0.0.1", "::1")
	if err != nil {
		return tls.Certificate{}, err
	}
	fmt.Println("self-signed certificate for localhost, 127.0.0.1 and ::1")
	fmt.Println("SHA-256 fingerprint:", chat.Fingerprint(cert))
	fmt.Println("your browser will warn that nobody vouches for it: compare the fingerprint, then accept it")
	return cert, nil
}
