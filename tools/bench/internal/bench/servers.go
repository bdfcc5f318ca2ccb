package bench

// Server is one echo server make bench measures, or one masking it times:
// a main package, built and run as its own process.
type Server struct {
	Name string   // its column
	Pkg  string   // its main package, from the checkout's root
	Args []string // flags beside -addr and -memstats

	// Unfinished is, for the learner's own code, the command that grades
	// it: a build that fails, a process that dies at the start (the stub
	// panics) or a failed handshake shows as "not finished: Unfinished",
	// and the others still run.
	Unfinished string

	// OptIn is for a server that runs only when SERVERS names it.
	OptIn bool
}

// Baseline is the server every msg/s is compared with.
const Baseline = "gorilla"

// Servers are the echo servers, in their columns' order. Each takes
// tools/echokit's flags -addr and -memstats; -fast serves step 12's Conn.
var Servers = []Server{
	{Name: "yours", Pkg: "./steps/cmd/echo", Args: []string{"-fast"}, Unfinished: "make step12"},
	{Name: "reference", Pkg: "./solutions/cmd/echo", Args: []string{"-fast"}},
	{Name: Baseline, Pkg: "./tools/bench/internal/peers/gorilla"},
	{Name: "coder", Pkg: "./tools/bench/internal/peers/coder"},
	// The reference of step 8, before step 12: SERVERS=step8,reference,gorilla.
	{Name: "step8", Pkg: "./solutions/cmd/echo", OptIn: true},
}

// Masks are the masking commands (tools/bench/internal/masks), in their
// columns' order; each takes the flags -sizes and -time.
var Masks = []Server{
	{Name: "yours", Pkg: "./tools/bench/internal/masks/yours", Unfinished: "make step12"},
	{Name: "reference", Pkg: "./tools/bench/internal/masks/reference"},
	{Name: Baseline, Pkg: "./tools/bench/internal/masks/gorilla"},
}

// Names are the servers' names, in order.
func Names(servers []Server) []string {
	names := make([]string, len(servers))
	for i, s := range servers {
		names[i] = s.Name
	}
	return names
}
