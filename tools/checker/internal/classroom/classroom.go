// Package classroom is the learner's side of the live classroom (make
// join, docs/instructors.md): it tells the instructor's dashboard (package
// tools/classroom/dashboard) where the learner stands, in one small JSON
// event per grade, hint or solve, over WebSocket.
//
// It never slows grading by more than a moment and never fails it: the
// connection is dialled while the tests run (Dial), the event waits for it
// only briefly once the grade is printed (Session.Send), nothing is queued
// for later (the next event carries the whole current state anyway), and
// every error is swallowed: an unreachable dashboard costs nothing but the
// dashboard's view.
package classroom

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/gorilla/websocket"

	"github.com/wsfromtcp/workshop/tools/classroom/dashboard"
)

// Wait bounds how long a command waits for the dashboard once its own work
// is done: the connection, if still being dialled, and the reply. With the
// dashboard stopped or unreachable, a command is at most this much slower.
// A variable only so that a test of what the dashboard shows can wait
// longer on a loaded machine: an event that misses it is simply not sent.
var Wait = 250 * time.Millisecond

// dialTimeout bounds the dial itself, which runs while the tests do.
const dialTimeout = 3 * time.Second

// URL is the dashboard's learners' endpoint at addr (host:port).
func URL(addr string) string {
	return (&url.URL{Scheme: "ws", Host: addr, Path: "/ws"}).String()
}

// Session is one command's connection to the dashboard, dialled in the
// background from the moment the command starts.
type Session struct {
	done chan struct{} // closed when the dial has ended
	conn *websocket.Conn
	err  error
}

// Dial starts connecting to the dashboard at addr and returns at once.
func Dial(addr string) *Session {
	s := &Session{done: make(chan struct{})}
	go func() {
		defer close(s.done)
		ctx, cancel := context.WithTimeout(context.Background(), dialTimeout)
		defer cancel()
		d := websocket.Dialer{HandshakeTimeout: dialTimeout}
		conn, resp, err := d.DialContext(ctx, URL(addr), nil)
		if resp != nil && resp.Body != nil {
			resp.Body.Close()
		}
		s.conn, s.err = conn, err
	}()
	return s
}

// Send sends ev and returns the dashboard's reply, waiting for the dial and
// the reply until deadline at the latest. It closes the session: one event
// per command.
func (s *Session) Send(ev dashboard.Event, deadline time.Time) (dashboard.Reply, error) {
	var reply dashboard.Reply
	select {
	case <-s.done:
	case <-time.After(time.Until(deadline)):
		go s.closeWhenDialled()
		return reply, fmt.Errorf("classroom: the dashboard did not answer within %v", Wait)
	}
	if s.err != nil {
		return reply, fmt.Errorf("classroom: cannot reach the dashboard: %w", s.err)
	}
	defer s.conn.Close()
	_ = s.conn.SetWriteDeadline(deadline)
	_ = s.conn.SetReadDeadline(deadline)
	if ev.Time.IsZero() {
		ev.Time = time.Now().UTC()
	}
	if err := s.conn.WriteJSON(ev); err != nil {
		return reply, fmt.Errorf("classroom: sending: %w", err)
	}
	if err := s.conn.ReadJSON(&reply); err != nil {
		return reply, fmt.Errorf("classroom: reading the reply: %w", err)
	}
	// A polite end; the dashboard may already have closed its side.
	_ = s.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), deadline)
	if !reply.OK {
		return reply, errors.New(reply.Error)
	}
	return reply, nil
}

// Printable is what the dashboard said, made safe for a terminal: only
// printable characters, at most limit of them. The dashboard is someone
// else's program, and an escape sequence in an announcement must not
// reach the learner's terminal as one.
func Printable(s string, limit int) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsPrint(r) {
			return r
		}
		return -1
	}, s)
	if r := []rune(s); len(r) > limit {
		s = string(r[:limit]) + "…"
	}
	return s
}

// closeWhenDialled closes a connection that is dialled after Send gave up
// on it.
func (s *Session) closeWhenDialled() {
	<-s.done
	if s.conn != nil {
		s.conn.Close()
	}
}

// NewID returns a random id for a learner who joins: 16 hex digits, which
// say nothing about the learner or the machine.
func NewID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Join asks the dashboard at addr whether code and name are good, and
// returns why not: a wrong code, a bad name or one that someone else (of
// another id) has, in the dashboard's words, or that it cannot be reached.
func Join(addr, code, name, id string) error {
	name, err := dashboard.CleanName(name)
	if err != nil {
		return fmt.Errorf("NAME: %w", err)
	}
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return fmt.Errorf("CLASS=%q is not host:port, such as 192.168.1.10:8099 (the dashboard prints it)", addr)
	}
	s := Dial(addr)
	<-s.done
	if s.err != nil {
		return fmt.Errorf("cannot reach the dashboard at %s: %w (is make classroom running there, and is this the address it printed?)", addr, s.err)
	}
	_, err = s.Send(dashboard.Event{Kind: dashboard.KindJoin, Code: code, Name: name, ID: id}, time.Now().Add(dialTimeout))
	if err != nil {
		return fmt.Errorf("the dashboard at %s refused to join: %w", addr, err)
	}
	return nil
}
