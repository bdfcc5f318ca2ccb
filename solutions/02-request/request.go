// Package request is step 2 of the workshop: it reads the head of an
// HTTP/1.1 request (the request line and the header fields) from a
// *bufio.Reader, as a WebSocket server must before it can answer the
// opening handshake.
//
// A WebSocket connection opens with an HTTP/1.1 GET request (RFC 6455 §1.3,
// https://www.rfc-editor.org/rfc/rfc6455#section-1.3, and §4.1). Its syntax
// is HTTP's: RFC 9112 §2 (https://www.rfc-editor.org/rfc/rfc9112#section-2)
// for the message, §3 for the request line and §5 for field lines.
// Chapter: docs/02-request.md. Check your work with: make step2
package request

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

// MaxHeadBytes bounds the request head: the request line and every field
// line, their line endings, and the empty line that ends the head. A server
// that read until the blank line without a limit would let one client make
// it buffer without end; real browsers send well under 2 KiB.
const MaxHeadBytes = 8 << 10

// Errors for malformed input. The error returned wraps one of them, with
// the offending line quoted, so that callers can test with errors.Is and
// people can read what was wrong.
var (
	// RFC 6455 §4.2.1 (R-4.2.1-1): a head that breaks the grammar is an error, answered with 400 by step 3.
	ErrRequestLine  = errors.New("request: malformed request line")
	ErrHeaderLine   = errors.New("request: malformed header line")
	ErrHeadTooLarge = errors.New("request: request head too large")
)

// Request is the head of an HTTP/1.1 request.
type Request struct {
	Method     string // "GET"
	Target     string // the request-target as sent, e.g. "/chat"
	Proto      string // "HTTP/1.1"
	ProtoMajor int
	ProtoMinor int
	Header     Header
}

// ReadRequest reads a request head from br and leaves every byte after it
// unread in br: on a WebSocket connection those bytes are the client's
// first frames.
//
// It returns io.EOF when the client closed the connection before sending
// anything, io.ErrUnexpectedEOF when the head was cut short, and an error
// wrapping ErrRequestLine, ErrHeaderLine or ErrHeadTooLarge for bad input.
func ReadRequest(br *bufio.Reader) (*Request, error) {
	lr := lineReader{br: br, left: MaxHeadBytes}
	line, err := lr.line(ErrRequestLine)
	for err == nil && line == "" {
		// RFC 9112 §2.2: a server SHOULD ignore empty lines received before
		// the request line.
		line, err = lr.line(ErrRequestLine)
	}
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) && lr.left == MaxHeadBytes {
			return nil, io.EOF // nothing at all was sent
		}
		return nil, err
	}
	r, err := parseRequestLine(line)
	if err != nil {
		return nil, err
	}
	for {
		line, err := lr.line(ErrHeaderLine)
		if err != nil {
			return nil, err
		}
		if line == "" {
			return r, nil
		}
		name, value, err := parseFieldLine(line)
		if err != nil {
			return nil, err
		}
		r.Header.Add(name, value)
	}
}

// lineReader reads lines while counting them against the head's limit.
type lineReader struct {
	br   *bufio.Reader
	left int // bytes the head may still take
}

// line reads one line and returns it without its line ending. RFC 9112 §2.2
// lets a recipient accept a bare LF as a line terminator, so both CRLF and
// LF end a line; a CR anywhere else is an error wrapping bad, the error of
// the kind of line being read (ErrRequestLine or ErrHeaderLine).
func (lr *lineReader) line(bad error) (string, error) {
	var buf []byte
	for {
		// ReadSlice never buffers more than the reader's buffer holds, so a
		// client that sends an endless line cannot make us allocate: we
		// count each chunk against the limit as it comes.
		chunk, err := lr.br.ReadSlice('\n')
		lr.left -= len(chunk)
		if lr.left < 0 {
			// RFC 6455 §10.7 (R-10.7-1): the head is validated, its size too, as the bytes arrive.
			return "", fmt.Errorf("%w: more than %d bytes before the empty line", ErrHeadTooLarge, MaxHeadBytes)
		}
		buf = append(buf, chunk...)
		switch {
		case err == nil:
			line := strings.TrimSuffix(strings.TrimSuffix(string(buf), "\n"), "\r")
			if strings.ContainsRune(line, '\r') {
				return "", fmt.Errorf("%w: %q has a CR that does not end the line", bad, line)
			}
			return line, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			return "", io.ErrUnexpectedEOF
		default:
			return "", err
		}
	}
}

// parseRequestLine parses "method SP request-target SP HTTP-version"
// (RFC 9112 §3): exactly three parts, separated by single spaces.
func parseRequestLine(line string) (*Request, error) {
	parts := strings.Split(line, " ")
	if len(parts) != 3 {
		return nil, fmt.Errorf("%w: %q is not three parts separated by single spaces", ErrRequestLine, line)
	}
	method, target, proto := parts[0], parts[1], parts[2]
	if !isToken(method) {
		return nil, fmt.Errorf("%w: method %q is not a token", ErrRequestLine, method)
	}
	if target == "" || strings.IndexFunc(target, isControl) >= 0 {
		return nil, fmt.Errorf("%w: request-target %q", ErrRequestLine, target)
	}
	major, minor, ok := parseVersion(proto)
	if !ok {
		return nil, fmt.Errorf("%w: version %q is not HTTP/<digit>.<digit>", ErrRequestLine, proto)
	}
	return &Request{Method: method, Target: target, Proto: proto, ProtoMajor: major, ProtoMinor: minor, Header: Header{}}, nil
}

// parseVersion parses "HTTP/1.1" (RFC 9112 §2.3: HTTP-version is
// case-sensitive, one digit, a dot, one digit).
func parseVersion(v string) (major, minor int, ok bool) {
	if len(v) != len("HTTP/1.1") || !strings.HasPrefix(v, "HTTP/") || v[6] != '.' ||
		!isDigit(v[5]) || !isDigit(v[7]) {
		return 0, 0, false
	}
	return int(v[5] - '0'), int(v[7] - '0'), true
}

// parseFieldLine parses "field-name: OWS field-value OWS" (RFC 9112 §5).
func parseFieldLine(line string) (name, value string, err error) {
	if line[0] == ' ' || line[0] == '\t' {
		// obs-fold: a continuation of the previous line, which RFC 9112 §5.2
		// lets a server reject; nobody sends it any more.
		return "", "", fmt.Errorf("%w: %q continues the previous line (obsolete line folding)", ErrHeaderLine, line)
	}
	name, value, found := strings.Cut(line, ":")
	if !found {
		return "", "", fmt.Errorf("%w: %q has no colon", ErrHeaderLine, line)
	}
	// "No whitespace is allowed between the field name and colon" (RFC 9112
	// §5.1): a server MUST reject it, because proxies have read such names
	// differently and been fooled by it.
	if !isToken(name) {
		return "", "", fmt.Errorf("%w: field name %q is not a token", ErrHeaderLine, name)
	}
	value = strings.Trim(value, " \t")
	if i := strings.IndexFunc(value, func(r rune) bool { return r != '\t' && isControl(r) }); i >= 0 {
		return "", "", fmt.Errorf("%w: the value of %q has a control character at byte %d", ErrHeaderLine, name, i)
	}
	return name, value, nil
}

// isToken reports whether s is a token (RFC 9110 §5.6.2): one or more
// visible ASCII characters other than the delimiters.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isControl(r rune) bool { return r < ' ' || r == 0x7f }
