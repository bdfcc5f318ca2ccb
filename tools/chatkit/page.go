// Package chatkit holds what the chat capstone (step 10) gives the learner
// and the reference solution alike, so that it exists once: the chat page,
// certificates for trying https:// and wss:// on one's own machine, and the
// chat command's main. None of it is WebSocket: the protocol is in the step.
package chatkit

import _ "embed"

// page is the chat page: HTML, CSS and JavaScript in one file, so that one
// GET brings the whole client. Its script opens ws:// or wss:// to /ws on
// the host it was loaded from, and speaks the JSON events of step 10
// (docs/10-chat.md).
//
//go:embed index.html
var page []byte

// Page returns the chat page. The slice is shared: do not change it.
func Page() []byte { return page }
