package request

import (
	"bufio"
	"fmt"
	"strings"
)

func ExampleReadRequest() {
	head := "GET /chat HTTP/1.1\r\nHost: server.example.com\r\nupgrade: websocket\r\n\r\n"
	r, err := ReadRequest(bufio.NewReader(strings.NewReader(head)))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Method, r.Target, r.ProtoMajor, r.ProtoMinor)
	fmt.Println(r.Header.Get("Upgrade"))
	// Output:
	// GET /chat 1 1
	// websocket
}
