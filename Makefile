# WebSocket from raw TCP — the workshop's commands. `make help` lists them.
#
# Learners: make step1, make step2, … grade one step of your code.
# Maintainers: make test proves every check fails on the stubs and passes
# on the reference solutions, and runs everything else CI runs.

GO      ?= go
CHECKER := bin/checker
OVERLAY := bin/overlay.json

.DEFAULT_GOAL := help
.PHONY: help test checker fmt-check vet rules unit verify bugs checker-timings race conformance echo chat progress watch hint solve reset restore grade frame need-step

help: ## list the commands
	@echo "WebSocket from raw TCP — build an RFC 6455 server in Go, one step at a time."
	@echo
	@printf '  make %-15s %s\n' stepN "grade step N of your code: make step1, make step2, …"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | while IFS= read -r line; do \
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

chat: ## run the finished chat server (the reference solution) on http://127.0.0.1:8080/ — open it in two browser windows; TLS=1 for https:// and wss://
	@$(GO) run ./solutions/cmd/chat $(if $(TLS),-tls -addr 127.0.0.1:8443,-addr 127.0.0.1:8080)

echo: ## run the reference echo server on ws://127.0.0.1:9001/ (your own: go run ./steps/cmd/echo)
	@$(GO) run ./solutions/cmd/echo -addr 127.0.0.1:9001

conformance: ## judge the reference echo server with the conformance suite (yours: see docs/conformance.md)
	@echo "== conformance suite against the reference echo server"
	@$(GO) run ./tools/conformance -reference

frame: ## draw the frame in HEX="81 85 37 fa 21 3d 7f 9f 4d 51 58" as RFC 6455 §5.2 does, and flag broken rules (FROM=server for server frames)
	@if [ -z "$(HEX)" ]; then echo 'Give the bytes, for example: make frame HEX="81 85 37 fa 21 3d 7f 9f 4d 51 58"'; exit 2; fi
	@$(GO) build -o bin/wsframe ./tools/wsframe
	@bin/wsframe -from $(or $(FROM),client) $(HEX) || true

grade: checker ## grade every step and write grade.json for GitHub Classroom (schema: tools/checker/grade.schema.json)
	@$(CHECKER) grade -o grade.json

need-step:
	@if [ -z "$(STEP)" ]; then echo "Say which step, for example: make $(MAKECMDGOALS) STEP=3"; exit 2; fi

test: checker fmt-check vet rules unit verify bugs race conformance ## maintainers: everything CI runs (format, vet, raw-TCP rule, checker tests, tests bite, the bug catalogue, -race, conformance)
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

verify: checker
	@echo "== tests bite"
	@$(CHECKER) verify

bugs: checker ## maintainers: prove every catalogued learner bug fails its own step, at the right check (tools/course/bugs; STEP=N for one step)
	@echo "== the bug catalogue"
	@$(CHECKER) bugs $(STEP)

checker-timings: checker ## maintainers: measure how long each step takes to grade, passing and failing (the README's table)
	@$(CHECKER) timings

race: checker
	@echo "== reference solutions under the race detector"
	@$(CHECKER) overlay $(OVERLAY)
	@$(GO) test -race -count=1 -overlay $(OVERLAY) ./solutions/...
