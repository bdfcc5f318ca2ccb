package dashboard

import _ "embed"

// page is the dashboard page: plain HTML, CSS and JavaScript that shows
// every value from the server with textContent, never as HTML. With
// #projector in its address it shows only the join command, the
// announcement and a bar per step, large, and no names.
//
//go:embed page.html
var page []byte

// trustThisMachine lets a page opened on the dashboard's own machine post
// announcements without the token; a test turns it off to be a stranger.
var trustThisMachine = true
