package attack

import (
	"fmt"
	"time"
)

// Vanish joins the chat and then plays dead: it keeps the socket open but
// never reads nor answers again, as a peer does whose network went away
// without a FIN or a reset (a laptop closed, a phone in a tunnel). The room
// is quiet, so nothing fills a buffer: only a server that pings and waits
// for the pong (RFC 6455 §5.5.2, §5.5.3) finds out. After T the kit reads
// what the server sent meanwhile, to see whether it closed the connection.
func Vanish(c Config) (Result, error) {
	var p pool
	defer p.closeAll()
	start := time.Now()
	ghost, err := c.joined(&p, start.Add(c.T+c.Drain), "ghost")
	if err != nil {
		return Result{}, err
	}
	ghost.polite = false // it never answers again
	time.Sleep(time.Until(start.Add(c.T)))
	e := ghost.watch(time.Now().Add(c.Drain))
	did := fmt.Sprintf("a client joined, then neither read nor answered for %s", seconds(c.T))
	if !e.closed {
		return Result{Line: did + ": your server kept it: no heartbeat, a dead peer stays until TCP gives up"}, nil
	}
	return Result{Held: true, Line: fmt.Sprintf("%s: your server %s: the heartbeat found it", did, e)}, nil
}
