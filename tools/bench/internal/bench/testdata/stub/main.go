// Command stub is an unfinished echo server, as the learner's is before
// they write it: it panics at the start, for the tests of make bench.
package main

func main() { panic("TODO(step 8): write Serve") }
