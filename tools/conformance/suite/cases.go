package suite

import (
	"encoding/binary"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/wsfromtcp/workshop/tools/wstest"
)

// Case is one conformance check. Run gets the server's address and returns
// nil when the server behaved as the RFC says.
type Case struct {
	ID      string // "2.3", grouped like Autobahn's cases
	Section string // the RFC 6455 section it checks, e.g. "5.5.2"
	Name    string // a sentence
	Run     func(addr string) error
}

func text(fin bool, s string) frame {
	return frame{fin: fin, op: opText, masked: true, payload: []byte(s)}
}
func binaryFrame(p []byte) frame { return frame{fin: true, op: opBinary, masked: true, payload: p} }
func cont(fin bool, s string) frame {
	return frame{fin: fin, op: opCont, masked: true, payload: []byte(s)}
}
func ping(p []byte) frame       { return frame{fin: true, op: opPing, masked: true, payload: p} }
func closeFrame(p []byte) frame { return frame{fin: true, op: opClose, masked: true, payload: p} }
func closeWith(code int, reason string) frame {
	return closeFrame(append(binary.BigEndian.AppendUint16(nil, uint16(code)), reason...))
}

// session opens a connection, runs f on it and closes it.
func session(addr string, f func(c *client) error) error {
	c, err := open(addr)
	if err != nil {
		return err
	}
	defer c.close()
	return f(c)
}

// echoCase sends frames and expects one message back.
func echoCase(op byte, want []byte, frames ...frame) func(string) error {
	return func(addr string) error {
		return session(addr, func(c *client) error {
			if err := c.send(frames...); err != nil {
				return err
			}
			return c.expectMessage(op, want)
		})
	}
}

// failCase sends frames and expects a close frame with one of codes, then
// the end of the TCP connection.
func failCase(codes []int, frames ...frame) func(string) error {
	return func(addr string) error {
		return session(addr, func(c *client) error {
			if err := c.send(frames...); err != nil {
				return err
			}
			return c.expectClose(codes...)
		})
	}
}

var protocolError = []int{1002}

// payload makes n bytes of a repeating, recognisable pattern.
func payload(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('a' + i%26)
	}
	return b
}

// handshakeCase sends a raw request and checks the status (and, for 426,
// the version the server names).
func handshakeCase(request string, status int) func(string) error {
	return func(addr string) error {
		c, err := dialTCP(addr)
		if err != nil {
			return err
		}
		defer c.close()
		if _, err := io.WriteString(c.conn, request); err != nil {
			return err
		}
		r, err := c.readResponse()
		if err != nil {
			return err
		}
		if r.status != status {
			return fmt.Errorf("status %d, want %d", r.status, status)
		}
		if status == 101 && r.header["sec-websocket-accept"] != sampleAccept {
			return fmt.Errorf("Sec-WebSocket-Accept %q, want %q for the RFC 6455 §1.3 sample key", r.header["sec-websocket-accept"], sampleAccept)
		}
		if status == 426 && r.header["sec-websocket-version"] != "13" {
			return fmt.Errorf("a 426 must name the supported version: Sec-WebSocket-Version %q, want \"13\" (RFC 6455 §4.4)", r.header["sec-websocket-version"])
		}
		return nil
	}
}

// Cases is the whole suite, in order.
func Cases() []Case {
	sample := handshakeRequest(sampleKey)
	var cs []Case
	add := func(id, section, name string, run func(string) error) {
		cs = append(cs, Case{ID: id, Section: section, Name: name, Run: run})
	}

	// 1 Opening handshake
	// Proves RFC 6455 R-4.2.2-10, R-4.2.2-1.
	add("1.1", "4.2.2", "answers the RFC sample handshake with 101 and the right accept key", handshakeCase(sample, 101))
	// Proves RFC 6455 R-4.2.1-1, R-4.1-4.
	add("1.2", "4.2.1", "answers a request without Upgrade with 400", handshakeCase(wstest.WithHeader(sample, "Upgrade", ""), 400))
	// Proves RFC 6455 R-4.2.1-1, R-4.1-7.
	add("1.3", "4.2.1", "answers a key that is not 16 bytes with 400", handshakeCase(wstest.WithHeader(sample, "Sec-WebSocket-Key", "c2hvcnQ="), 400))
	// Proves RFC 6455 R-4.2.2-4, R-4.4-1, R-4.1-9.
	add("1.4", "4.4", "answers version 8 with 426 and Sec-WebSocket-Version: 13", handshakeCase(wstest.WithHeader(sample, "Sec-WebSocket-Version", "8"), 426))
	// Proves RFC 6455 R-4.2.1-1, R-4.1-1.
	add("1.5", "4.2.1", "answers POST with 400", handshakeCase(strings.Replace(sample, "GET", "POST", 1), 400))

	// 2 Framing
	for i, n := range []int{0, 1, 125, 126, 127, 65535, 65536, 1 << 20} {
		// Proves RFC 6455 R-6.2-1, R-6.1-5.
		add(fmt.Sprintf("2.%d", i+1), "5.2", fmt.Sprintf("echoes a %d-byte text message", n),
			echoCase(opText, payload(n), text(true, string(payload(n)))))
	}
	for i, n := range []int{0, 125, 126, 65536} {
		// Proves RFC 6455 R-6.1-4, R-6.2-3.
		add(fmt.Sprintf("2.%d", i+9), "5.2", fmt.Sprintf("echoes a %d-byte binary message", n),
			echoCase(opBinary, payload(n), binaryFrame(payload(n))))
	}
	// Proves RFC 6455 R-6.2-1.
	add("2.13", "5.2", "reassembles a frame sent one byte at a time", func(addr string) error {
		return session(addr, func(c *client) error {
			msg := payload(200)
			if err := c.sendChunked(text(true, string(msg)).encode(), func(int) int { return 1 }, time.Millisecond); err != nil {
				return err
			}
			return c.expectMessage(opText, msg)
		})
	})
	// Proves RFC 6455 R-6.2-1, R-6.2-4.
	add("2.14", "5.2", "reassembles frames sent in random chunks with pauses", func(addr string) error {
		return session(addr, func(c *client) error {
			rng := rand.New(rand.NewPCG(1, 2))
			msg := payload(70000)
			data := append(text(true, string(msg)).encode(), binaryFrame([]byte{1, 2, 3}).encode()...)
			if err := c.sendChunked(data, func(int) int { return 1 + rng.IntN(9000) }, 2*time.Millisecond); err != nil {
				return err
			}
			if err := c.expectMessage(opText, msg); err != nil {
				return err
			}
			return c.expectMessage(opBinary, []byte{1, 2, 3})
		})
	})

	// 3 Ping and pong
	for i, p := range [][]byte{{}, payload(125), {0, 0xff, 0x80, 1}} {
		// Proves RFC 6455 R-5.5.2-1, R-5.5.3-1.
		add(fmt.Sprintf("3.%d", i+1), "5.5.3", fmt.Sprintf("answers a ping of %d bytes with a pong carrying the same bytes", len(p)), func(addr string) error {
			return session(addr, func(c *client) error {
				if err := c.send(ping(p)); err != nil {
					return err
				}
				return c.expectPong(p)
			})
		})
	}
	// Proves RFC 6455 R-5.5-1.
	add("3.4", "5.5", "fails a ping of 126 bytes with 1002", failCase(protocolError, ping(payload(126))))
	// Proves RFC 6455 R-5.4-2, R-5.5-1.
	add("3.5", "5.5", "fails a fragmented ping with 1002", failCase(protocolError, frame{op: opPing, masked: true, payload: []byte("x")}))
	// Proves RFC 6455 R-5.5.3-3.
	add("3.6", "5.5.3", "ignores an unsolicited pong and goes on echoing", echoCase(opText, []byte("after pong"),
		frame{fin: true, op: opPong, masked: true, payload: []byte("unsolicited")}, text(true, "after pong")))
	// Proves RFC 6455 R-5.5.2-2, R-5.5.2-1.
	add("3.7", "5.5.2", "answers ten pings in a row with ten pongs in order", func(addr string) error {
		return session(addr, func(c *client) error {
			var frames []frame
			for i := range 10 {
				frames = append(frames, ping([]byte(fmt.Sprint("ping ", i))))
			}
			if err := c.send(frames...); err != nil {
				return err
			}
			for i := range 10 {
				if err := c.expectPong([]byte(fmt.Sprint("ping ", i))); err != nil {
					return fmt.Errorf("pong %d: %w", i, err)
				}
			}
			return nil
		})
	})

	// 4 Reserved bits
	for i, rsv := range []byte{0x40, 0x20, 0x10} {
		// Proves RFC 6455 R-5.2-2.
		add(fmt.Sprintf("4.%d", i+1), "5.2", fmt.Sprintf("fails a text frame with RSV%d set with 1002", i+1),
			failCase(protocolError, frame{fin: true, rsv: rsv, op: opText, masked: true, payload: []byte("rsv")}))
	}
	// Proves RFC 6455 R-5.2-2.
	add("4.4", "5.2", "fails a ping with RSV1 set with 1002", failCase(protocolError, frame{fin: true, rsv: 0x40, op: opPing, masked: true}))

	// 5 Reserved opcodes
	for i, op := range []byte{0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF} {
		// Proves RFC 6455 R-5.2-3.
		add(fmt.Sprintf("5.%d", i+1), "5.2", fmt.Sprintf("fails reserved opcode %#x with 1002", op),
			failCase(protocolError, frame{fin: true, op: op, masked: true, payload: []byte("reserved")}))
	}

	// 6 Fragmentation
	// Proves RFC 6455 R-5.4-6.
	add("6.1", "5.4", "echoes a text message sent in 2 fragments as one message", echoCase(opText, []byte("Hello"), text(false, "Hel"), cont(true, "lo")))
	tenFrags := []frame{text(false, "f0")}
	for i := 1; i < 9; i++ {
		tenFrags = append(tenFrags, cont(false, fmt.Sprint("f", i)))
	}
	tenFrags = append(tenFrags, cont(true, "f9"))
	// Proves RFC 6455 R-5.4-3.
	add("6.2", "5.4", "echoes a text message sent in 10 fragments", echoCase(opText, []byte("f0f1f2f3f4f5f6f7f8f9"), tenFrags...))
	// Proves RFC 6455 R-5.4-5, R-5.4-1.
	add("6.3", "5.4", "answers a ping between fragments and still echoes the message", func(addr string) error {
		return session(addr, func(c *client) error {
			if err := c.send(text(false, "Hel"), ping([]byte("mid")), cont(true, "lo")); err != nil {
				return err
			}
			if err := c.expectPong([]byte("mid")); err != nil {
				return err
			}
			return c.expectMessage(opText, []byte("Hello"))
		})
	})
	// Proves RFC 6455 R-5.4-7.
	add("6.4", "5.4", "fails a continuation with nothing to continue with 1002", failCase(protocolError, cont(true, "orphan")))
	// Proves RFC 6455 R-5.4-4.
	add("6.5", "5.4", "fails a new text frame inside a fragmented message with 1002", failCase(protocolError, text(false, "one"), text(true, "two")))
	add("6.6", "5.4", "echoes a message made of empty fragments", echoCase(opText, []byte("x"), text(false, ""), cont(false, "x"), cont(true, "")))

	// 7 UTF-8
	for i, s := range []string{"¢ 2 bytes", "€ 3 bytes", "𐍈 4 bytes", "κόσμε"} {
		// Proves RFC 6455 R-5.6-1.
		add(fmt.Sprintf("7.%d", i+1), "8.1", fmt.Sprintf("echoes valid UTF-8 text %q", s), echoCase(opText, []byte(s), text(true, s)))
	}
	invalid := []struct{ name, bytes string }{
		{"an overlong encoding", "\xc0\xaf"},
		{"a UTF-16 surrogate", "\xed\xa0\x80"},
		{"a code point above U+10FFFF", "\xf4\x90\x80\x80"},
		{"a lone continuation byte", "a\x80b"},
		{"a sequence cut at the end", "ok\xe2\x82"},
	}
	for i, tc := range invalid {
		// Proves RFC 6455 R-8.1-1, R-7.1.7-2.
		add(fmt.Sprintf("7.%d", i+5), "8.1", "fails text with "+tc.name+" with 1007", failCase([]int{1007}, text(true, tc.bytes)))
	}
	// Proves RFC 6455 R-5.6-1.
	add("7.10", "8.1", "accepts a code point split across fragments", echoCase(opText, []byte("€"), text(false, "\xe2"), cont(true, "\x82\xac")))
	// Proves RFC 6455 R-8.1-1.
	add("7.11", "8.1", "fails invalid UTF-8 in the first fragment without waiting for the rest", failCase([]int{1007}, text(false, "\xc0\xaf")))

	// 8 Closing
	// Proves RFC 6455 R-5.5.1-4, R-5.5.1-7, R-5.5.1-6, R-5.5.1-5, R-7.1.1-3.
	add("8.1", "5.5.1", "answers close 1000 with close 1000, then closes TCP", failCase([]int{1000}, closeWith(1000, "bye")))
	// Proves RFC 6455 R-5.5.1-4, R-7.4.1-3.
	add("8.2", "5.5.1", "answers an empty close with a close", failCase([]int{1005, 1000}, closeFrame(nil)))
	for i, code := range []int{1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 4999} {
		// Proves RFC 6455 R-5.5.1-4.
		add(fmt.Sprintf("8.%d", i+3), "7.4.1", fmt.Sprintf("answers a valid close %d by echoing it", code), failCase([]int{code}, closeWith(code, "")))
	}
	for i, code := range []int{0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535} {
		// Proves RFC 6455 R-10.7-3, R-7.1.7-2.
		add(fmt.Sprintf("8.%d", i+13), "7.4", fmt.Sprintf("fails a close with invalid code %d with 1002", code), failCase(protocolError, closeWith(code, "")))
	}
	// Proves RFC 6455 R-5.5.1-1.
	add("8.23", "5.5.1", "fails a 1-byte close payload with 1002", failCase(protocolError, closeFrame([]byte{0x03})))
	// Proves RFC 6455 R-5.5.1-2, R-8.1-1.
	add("8.24", "5.5.1", "fails a close reason that is not UTF-8 with 1007", failCase([]int{1007}, closeWith(1000, "\xff\xfe")))
	add("8.25", "5.5", "accepts a close with a 123-byte reason", failCase([]int{1000}, closeWith(1000, string(payload(123)))))
	// Proves RFC 6455 R-5.5.1-3.
	add("8.26", "5.5.1", "does not echo data sent after the close frame", func(addr string) error {
		return session(addr, func(c *client) error {
			if err := c.send(closeWith(1000, ""), text(true, "too late")); err != nil {
				return err
			}
			return c.expectClose(1000)
		})
	})

	// Proves RFC 6455 R-7.1.7-3.
	add("8.27", "7.1.7", "does not echo data sent after a frame that failed the connection",
		failCase(protocolError, frame{fin: true, op: opText, payload: []byte("unmasked")}, text(true, "too late")))

	// 9 Masking and survival
	// Proves RFC 6455 R-5.1-1, R-5.1-2, R-7.1.7-1.
	add("9.1", "5.1", "fails an unmasked client frame with 1002", failCase(protocolError, frame{fin: true, op: opText, payload: []byte("unmasked")}))
	// Proves RFC 6455 R-10.7-1.
	add("9.2", "5.1", "still echoes on a fresh connection after every case above", echoCase(opText, []byte("still here"), text(true, "still here")))
	return cs
}

// Result is the outcome of one case.
type Result struct {
	Case
	Err      error
	Duration time.Duration
}

// Passed reports whether the server behaved as the RFC says.
func (r Result) Passed() bool { return r.Err == nil }

// Run runs the cases whose ID or name match (all when match is nil) against
// the echo server at addr, one fresh connection each, in order.
func Run(addr string, match func(Case) bool) []Result {
	var out []Result
	for _, c := range Cases() {
		if match != nil && !match(c) {
			continue
		}
		start := time.Now()
		err := c.Run(addr)
		out = append(out, Result{Case: c, Err: err, Duration: time.Since(start)})
	}
	return out
}

// Summary counts passed and failed results.
func Summary(results []Result) (passed, failed int) {
	for _, r := range results {
		if r.Passed() {
			passed++
		} else {
			failed++
		}
	}
	return passed, failed
}

// Print writes one line per case and the closing line "N passed, N failed".
func Print(w io.Writer, results []Result, verbose bool) {
	for _, r := range results {
		mark := "✓"
		if !r.Passed() {
			mark = "✗"
		}
		if r.Passed() && !verbose {
			fmt.Fprintf(w, "  %s %-5s %s\n", mark, r.ID, r.Name)
			continue
		}
		fmt.Fprintf(w, "  %s %-5s %s (RFC 6455 §%s)\n", mark, r.ID, r.Name, r.Section)
		if !r.Passed() {
			fmt.Fprintf(w, "          %s\n", r.Err)
		}
	}
	passed, failed := Summary(results)
	fmt.Fprintf(w, "%d passed, %d failed\n", passed, failed)
}
