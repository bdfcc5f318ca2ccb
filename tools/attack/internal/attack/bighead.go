package attack

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/wsfromtcp/workshop/tools/internal/localserver"
)

// announced is the payload length each bighead header claims: 16 MiB.
const announced = 16 << 20

// BigHead opens N WebSockets and sends on each the 14-byte header of a
// binary frame announcing 16 MiB (RFC 6455 §5.2: a 64-bit length), and not
// one byte of payload. A server that allocates the payload from the
// announced length pays 16 MiB per header; one that grows its buffer as
// bytes arrive, or refuses the length (1009), pays nothing (RFC 6455
// §10.4). With the server's PID the verdict reads its memory
// (/proc/PID/status); without it, a probe client must still chat.
func BigHead(c Config) (Result, error) {
	var p pool
	defer p.closeAll()
	start := time.Now()
	until := start.Add(c.T + c.Drain)
	before, err := memory(c.PID)
	if err != nil {
		return Result{}, err
	}
	upgraded, _, err := c.upgrades(&p, c.N, until)
	if err != nil {
		return Result{}, err
	}
	var opened []*client
	for _, cl := range upgraded {
		if _, err := cl.conn.Write(header(opBinary, announced)); err == nil {
			opened = append(opened, cl)
		}
	}
	time.Sleep(time.Until(start.Add(c.T)))
	after, err := memory(c.PID)
	if err != nil {
		return Result{}, err
	}
	probeErr := probe(c, &p, until)
	refused := len(opened) - countKept(opened, time.Now().Add(c.Drain))
	did := fmt.Sprintf("%d headers announcing 16 MiB with no payload (%d refused by the server)", len(opened), refused)
	if c.PID != 0 {
		grew := max(after.RSS-before.RSS, after.Size-before.Size)
		did += fmt.Sprintf(": your server's memory grew by %d MiB (VmRSS %d → %d MiB, VmSize %d → %d MiB)",
			grew>>20, before.RSS>>20, after.RSS>>20, before.Size>>20, after.Size>>20)
		if grew >= int64(len(opened)-refused)*announced/2 && len(opened) > refused {
			return Result{Line: did + ": it allocates what a header announces"}, nil
		}
	}
	if probeErr != nil {
		return Result{Line: fmt.Sprintf("%s: a client could not chat any more (%v)", did, probeErr)}, nil
	}
	if refused == len(opened) {
		return Result{Held: true, Line: did + ": a client still chats; the length is refused before any payload"}, nil
	}
	if c.PID == 0 {
		return Result{Held: true, Line: did + ": a client still chats (give the server's PID to judge its memory)"}, nil
	}
	return Result{Held: true, Line: did + ": a client still chats; memory follows the bytes that arrive"}, nil
}

// probe opens a WebSocket, joins and says something, and waits for it to
// come back: the chat sends a say to everyone, the speaker included, and an
// echo server sends back whatever it gets.
func probe(c Config, p *pool, until time.Time) error {
	cl, status, err := c.open(p, until, "")
	if err != nil {
		return err
	}
	if status != http.StatusSwitchingProtocols {
		return fmt.Errorf("the handshake got %d, not 101", status)
	}
	for _, ev := range []event{{Type: "join", Nick: "probe"}, {Type: "say", Text: "still there?"}} {
		if err := cl.send(opText, mustJSON(ev)); err != nil {
			return err
		}
	}
	for {
		op, data, err := cl.read()
		if err != nil {
			return err
		}
		if op == opText && strings.Contains(string(data), "still there?") {
			return nil
		}
	}
}

// memory reads the memory of process pid; pid 0 reads nothing.
func memory(pid int) (localserver.Memory, error) {
	if pid == 0 {
		return localserver.Memory{}, nil
	}
	m, err := localserver.ReadMemory(pid)
	if err != nil {
		return m, fmt.Errorf("reading the server's memory: %w (is PID=%d the server, on this machine?)", err, pid)
	}
	return m, nil
}
