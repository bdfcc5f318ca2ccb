package accept

import (
	"bufio"
	"fmt"
	"net"
	"time"
)

// A server from Listen answers on its own goroutines while the caller goes
// on; Close shuts it down.
func ExampleListen() {
	srv, err := Listen("127.0.0.1:0", Echo)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()

	conn, err := net.Dial("tcp", srv.Addr().String())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(3 * time.Second))

	fmt.Fprint(conn, "ping\n")
	line, _ := bufio.NewReader(conn).ReadString('\n')
	fmt.Print(line)
	// Output: ping
}
