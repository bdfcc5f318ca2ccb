# WebSocket from raw TCP — the workshop's commands. `make help` lists them.
#
# Learners: make step1, make step2, … grade one step of your code.
# Maintainers: make test proves every check fails on the stubs and passes
# on the reference solutions, and runs everything else CI runs.

GO      ?= go
CHECKER := bin/checker
OVERLAY := bin/overlay.json

.DEFAULT_GOAL := help
.PHONY: help test checker fmt-check vet rules unit verify race

help: ## list the commands
	@echo "WebSocket from raw TCP — build an RFC 6455 server in Go, one step at a time."
	@echo
	@printf '  make %-8s %s\n' stepN "grade step N of your code: make step1, make step2, …"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## (.*)/\1\t\2/' | while IFS="$$(printf '\t')" read -r t d; do printf '  make %-8s %s\n' "$$t" "$$d"; done
	@echo
	@echo "Steps:"
	@$(GO) run ./tools/course/cmd/steps

# The checker is rebuilt on every call; the build cache makes that a no-op
# when nothing changed, and a fresh binary avoids `go run`'s exit-status noise.
checker:
	@$(GO) build -o $(CHECKER) ./tools/checker

step%: checker
	@$(CHECKER) step $*

test: checker fmt-check vet rules unit verify race ## maintainers: everything CI runs (format, vet, raw-TCP rule, checker tests, tests bite, -race)
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

race: checker
	@echo "== reference solutions under the race detector"
	@$(CHECKER) overlay $(OVERLAY)
	@$(GO) test -race -count=1 -overlay $(OVERLAY) ./solutions/...
