# WebSocket from raw TCP — the workshop's commands. `make help` lists them.
#
# Learners: make step1, make step2, … grade one step of your code.
# Maintainers: make test proves every check fails on the stubs and passes
# on the reference solutions, and runs everything else CI runs.

GO      ?= go
CHECKER := bin/checker
# The race target's overlay: the step tests on the reference solutions, and
# the earlier steps' checks a later step borrows (steps.json alsoPasses:
# step 8's on step 12's fast Conn). Its copies of the tests go in a folder
# beside it (overlay.files); a folder whose name starts with _ is one that
# ./... never matches, so go vet ./... does not compile the copies.
OVERLAY := bin/_overlay/overlay.json

.DEFAULT_GOAL := help
.PHONY: help test checker fmt-check vet rules unit verify bugs readme-samples samples-check checker-timings race conformance echo chat progress watch hint solve reset restore grade frame need-step
.PHONY: e2e screenshot

help: ## list the commands
	@echo "WebSocket from raw TCP — build an RFC 6455 server in Go, one step at a time."
	@echo
	@printf '  make %-15s %s\n' stepN "grade step N of your code: make step1, make step2, …"
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | while IFS= read -r line; do \
		t=$${line%%:*}; d=$${line#*## }; case "$$line" in *need-step*) t="$$t STEP=N";; esac; \
		printf '  make %-15s %s\n' "$$t" "$$d"; done
	@echo
	@echo "Steps:"
	@$(GO) run ./tools/course/cmd/steps

# The checker is rebuilt on every call; the build cache makes that a no-op
# when nothing changed, and a fresh binary avoids `go run`'s exit-status noise.
checker:
	@$(GO) build -o $(CHECKER) ./tools/checker

step%: checker
	@$(CHECKER) step $*

progress: checker ## every step: checks passed, state, hints taken, and the next step to do
	@$(CHECKER) progress

watch: checker need-step ## grade step N again each time you save a .go file (Ctrl-C stops)
	@$(CHECKER) watch $(STEP)

hint: checker need-step ## show the next hint for step N: a nudge, then the RFC passage, then the shape of the code
	@$(CHECKER) hint $(STEP)

solve: checker need-step ## back up your step N and take the reference solution for it
	@$(CHECKER) solve $(STEP)

reset: checker need-step ## back up your step N and bring back the untouched stub
	@$(CHECKER) reset $(STEP)

restore: checker need-step ## bring back the newest backup of step N (undoes solve or reset)
	@$(CHECKER) restore $(STEP)

chat: ## run the finished chat server (the reference of step 11, hardened) on http://127.0.0.1:8080/ — open it in two browser windows; TLS=1 for https:// and wss://, STEP=10 for step 10's
	@$(GO) run ./solutions/cmd/chat $(if $(STEP),-step $(STEP)) $(if $(TLS),-tls -addr 127.0.0.1:8443,-addr 127.0.0.1:8080)

# The browser test (tools/e2e) on the learner's own steps/: its -yours flag
# swaps the reference server for theirs, and it says what is left to write
# before it starts a browser. -v shows each browser's result, and the skip
# message of one that is not installed.
e2e: ## open two pages of your chat server (steps/10-chat) in Chromium and in Firefox, and check that they chat over ws:// and wss://
	@$(GO) test -count=1 -v -run TestTwoBrowserPagesChat ./tools/e2e/ -args -yours

# The chapter's and README's picture is the browser test's own: bob's page
# in Chromium at the end of its chat on the reference server.
screenshot: ## maintainers: take docs/images/chat.png again, from the browser test in Chromium on the reference chat server
	@$(GO) test -count=1 -run 'TestTwoBrowserPagesChat/chromium/step10/ws$$' ./tools/e2e/ -args -screenshot $(CURDIR)/docs/images/chat.png
	@echo "docs/images/chat.png taken again"

echo: ## run the reference echo server on ws://127.0.0.1:9001/ (your own: go run ./steps/cmd/echo)
	@$(GO) run ./solutions/cmd/echo -addr 127.0.0.1:9001

conformance: ## judge the reference echo server with the conformance suite (yours: see docs/conformance.md)
	@echo "== conformance suite against the reference echo server"
	@$(GO) run ./tools/conformance -reference

frame: ## draw the frame in HEX="81 85 37 fa 21 3d 7f 9f 4d 51 58" as RFC 6455 §5.2 does, and flag broken rules (FROM=server for server frames)
	@if [ -z "$(HEX)" ]; then echo 'Give the bytes, for example: make frame HEX="81 85 37 fa 21 3d 7f 9f 4d 51 58"'; exit 2; fi
	@$(GO) build -o bin/wsframe ./tools/wsframe
	@bin/wsframe -from $(or $(FROM),client) $(HEX) || true

# The attack kit (tools/attack, docs/attack.md) on a chat server running on
# this machine: the learner's, or the reference of make chat.
.PHONY: attack
attack: ## attack your running chat server: KIND=idle (make attack lists the kinds), ADDR=127.0.0.1:8080, N= K= T=30s PID= (docs/attack.md)
	@$(GO) build -o bin/attack ./tools/attack
	@if [ -z "$(KIND)" ]; then echo "Say which attack, for example: make attack KIND=idle ADDR=127.0.0.1:8080"; \
		echo "KIND is one of: $$(bin/attack -list) (docs/attack.md)"; exit 2; fi
	@bin/attack -kind $(KIND) -addr $(or $(ADDR),127.0.0.1:8080) $(if $(N),-n $(N)) $(if $(K),-k $(K)) $(if $(T),-t $(T)) $(if $(PID),-pid $(PID))

# The load report (tools/load, docs/10-chat.md) on a chat server running on
# this machine: CLIENTS clients saying RATE messages a second for DURATION,
# FLOOD flooders and STALL stalled readers beside them; PID samples the
# server's memory. Loopback only, and bounded (tools/load -h).
.PHONY: load
load: ## measure your running chat server: ADDR=127.0.0.1:8080 CLIENTS=300 RATE=1 DURATION=60s, PID= for its memory, FLOOD=1 STALL=1 (docs/10-chat.md)
	@$(GO) build -o bin/load ./tools/load
	@bin/load -addr $(or $(ADDR),127.0.0.1:8080) -clients $(or $(CLIENTS),300) -rate $(or $(RATE),1) -duration $(or $(DURATION),60s) \
		$(if $(PID),-pid $(PID)) $(if $(FLOOD),-flood $(FLOOD)) $(if $(STALL),-stall $(STALL))

# The benchmark (tools/bench, docs/12-performance.md): your echo server,
# the reference, gorilla/websocket's and coder/websocket's, each started
# in turn on this machine and driven by the same client for the same time;
# then masking. About 70 s with the defaults; it stops at 2 min whatever
# the servers do.
.PHONY: bench
bench: ## measure your echo server beside the reference, gorilla/websocket's and coder/websocket's: msg/s, allocs/msg, masking, chart in bin/bench.svg; TIME=1.5s a cell, CONNS=1,32 SIZES=16,1K,64K,4M SERVERS=
	@$(GO) build -o bin/bench ./tools/bench
	@bin/bench $(if $(TIME),-time $(TIME)) $(if $(CONNS),-conns $(CONNS)) $(if $(SIZES),-sizes $(SIZES)) $(if $(SERVERS),-servers $(SERVERS))

# A step's own Go benchmarks (the Benchmark functions beside its checks):
# on your code, or with REF=1 on the reference, whose folder has no tests of
# its own; the overlay gives it the step's, as make race does. A profile
# (FLAGS='-cpuprofile cpu.out') and the test binary land in this folder.
.PHONY: gobench
gobench: checker need-step ## run step N's Go benchmarks (go test -bench) on your code, REF=1 on the reference; BENCH=regexp FLAGS='-count 8 -cpuprofile cpu.out'
	@dir=$$(cd steps && ls -d $$(printf '%02d' "$(STEP)")-* 2>/dev/null) || { echo "There is no step $(STEP): make help lists them."; exit 2; }; \
	$(if $(REF),$(CHECKER) overlay $(OVERLAY) && ,)$(GO) test -run NONE -bench '$(or $(BENCH),.)' -benchmem $(FLAGS) $(if $(REF),-overlay $(OVERLAY) ./solutions/$$dir,./steps/$$dir)

# Fuzzing builds an instrumented test binary first, which takes minutes on a
# slow machine the first time; the command says so before it starts.
.PHONY: fuzz
fuzz: need-step ## fuzz step N's fuzz targets on your code, TIME=30s each (the first run builds for a few minutes)
	@$(GO) build -o bin/fuzz ./tools/fuzz
	@bin/fuzz -time $(or $(TIME),30s) $(STEP)

grade: checker ## grade every step and write grade.json for GitHub Classroom (schema: tools/checker/grade.schema.json)
	@$(CHECKER) grade -o grade.json

# The live classroom (tools/classroom, docs/instructors.md): the dashboard
# an instructor runs, and the learners' join and leave.
.PHONY: classroom join leave
classroom: ## instructors: the live classroom dashboard on this machine's LAN address, ADDR=:8099; Ctrl-C writes the rows to CSV and JSON (EXPORT=prefix)
	@$(GO) build -o bin/classroom ./tools/classroom
	@bin/classroom -addr $(or $(ADDR),:8099) $(if $(CODE),-code $(CODE)) $(if $(EXPORT),-export $(EXPORT))

join: checker ## join the instructor's live classroom: make join CLASS=HOST:8099 CODE=… NAME=ann (sends your step and score, never your code)
	@$(CHECKER) join "$(CLASS)" "$(CODE)" "$(NAME)"

leave: checker ## leave the live classroom: nothing is sent any more
	@$(CHECKER) leave

need-step:
	@if [ -z "$(STEP)" ]; then echo "Say which step, for example: make $(MAKECMDGOALS) STEP=3"; exit 2; fi

test: checker fmt-check vet rules unit verify bugs samples-check race conformance ## maintainers: everything CI runs (format, vet, raw-TCP rule, checker tests, tests bite, the bug catalogue, -race, conformance)
	@echo "make test: all good"

fmt-check:
	@echo "== gofmt"
	@out=$$(gofmt -l steps solutions tools); if [ -n "$$out" ]; then echo "These files need gofmt -w:"; echo "$$out"; exit 1; fi

vet:
	@echo "== go vet"
	@$(GO) vet ./...

rules: checker
	@echo "== raw-TCP rule"
	@$(CHECKER) rules

unit:
	@echo "== the tools' own tests"
	@$(GO) test -count=1 ./tools/...
	@$(GO) run ./tools/course/cmd/rfcmap -coverage

verify: checker
	@echo "== tests bite"
	@$(CHECKER) verify

bugs: checker ## maintainers: prove every catalogued learner bug fails its own step, at the right check (tools/course/bugs; STEP=N for one step)
	@echo "== the bug catalogue"
	@$(CHECKER) bugs $(STEP)

readme-samples: checker ## maintainers: rewrite the README's sample runs (make step1, make progress) from real runs
	@$(CHECKER) samples

samples-check: checker
	@echo "== the README's sample runs"
	@$(CHECKER) samples -check

checker-timings: checker ## maintainers: measure how long each step takes to grade, passing and failing (the README's table)
	@$(CHECKER) timings

race: checker
	@echo "== reference solutions under the race detector"
	@$(CHECKER) overlay $(OVERLAY)
	@$(GO) test -race -count=1 -overlay $(OVERLAY) ./solutions/...

# The load test: correct code must stay green beside CPU hogs (DEVELOPERS
# guide). It runs, beside 2 × nproc processes that only burn CPU, the
# solutions' tests under -race (as race does), tests bite (as verify does)
# and the solutions' tests without -race, goes on after a failure so that
# one run shows them all, and fails if any failed. The trap stops the hogs
# however the recipe ends (failure, Ctrl-C, kill); a hog also stops by
# itself once the recipe's shell is gone, so none can outlive it.
.PHONY: test-loaded checks-manifest
test-loaded: checker ## maintainers: the solutions' tests (with and without -race) and tests bite, beside 2 × nproc CPU hogs
	@hogs=$$((2 * $$(nproc))); pids=""; failed=""; \
	stop() { [ -z "$$pids" ] && return; kill $$pids 2>/dev/null; wait $$pids 2>/dev/null; pids=""; echo "== test-loaded: stopped the $$hogs CPU hogs"; }; \
	trap 'stop' EXIT; trap 'stop; exit 130' INT; trap 'stop; exit 143' TERM; \
	echo "== test-loaded: starting $$hogs CPU hogs (2 × nproc) beside the tests"; \
	for i in $$(seq $$hogs); do sh -c 'while kill -0 $$PPID 2>/dev/null; do :; done' & pids="$$pids $$!"; done; \
	run() { echo "== test-loaded: $$*"; start=$$(date +%s); \
		if "$$@"; then echo "== test-loaded: ok in $$(($$(date +%s) - start)) s: $$*"; \
		else echo "== test-loaded: FAILED after $$(($$(date +%s) - start)) s: $$*"; failed="$$failed\n  $$*"; fi; }; \
	run $(CHECKER) overlay $(OVERLAY); \
	run $(GO) test -race -count=1 -overlay $(OVERLAY) ./solutions/...; \
	run $(CHECKER) verify; \
	run $(GO) test -count=1 -overlay $(OVERLAY) ./solutions/...; \
	stop; \
	if [ -n "$$failed" ]; then printf "make test-loaded: these failed beside the CPU hogs:$$failed\n"; exit 1; fi; \
	echo "make test-loaded: all good beside $$hogs CPU hogs"

# The README's step table is made from tools/course/steps.json; a test of
# tools/course fails while it is stale.
.PHONY: readme-steps
readme-steps: ## maintainers: rewrite the README's step table from tools/course/steps.json, after changing a step there
	@$(GO) run ./tools/course/cmd/readme

# RFC 6455, line by line (docs/rfc6455.md): the requirements of
# tools/course/rfc6455.json, traced through the tag comments in solutions/,
# the step tests and the conformance suite; a test of tools/course/rfcmap
# fails while the page, the README's coverage line or a chapter's link is
# stale. RFC=rfc6455.txt (https://www.rfc-editor.org/rfc/rfc6455.txt) also
# checks that every quotation is exact.
.PHONY: rfc-map
rfc-map: ## maintainers: write docs/rfc6455.md, RFC 6455's server requirements traced to the code and the checks, after tagging; RFC=rfc6455.txt checks the quotes
	@$(GO) run ./tools/course/cmd/rfcmap $(if $(RFC),-rfc $(RFC))

# After changing a step's tests: the checker compares a learner's test files
# with this list, and a test of tools/checker/internal/tamper fails while it
# is stale.
checks-manifest: ## maintainers: write tools/course/checks.json, the step tests as given, after changing a step's tests
	@$(GO) run ./tools/checker/internal/tamper/cmd/manifest
