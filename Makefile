# Convenience targets; the README's two commands work without make.
.PHONY: report test bench fuzz build

report:
	go run ./cmd/ratecycle report -o report.html

test:
	go test ./...

build:
	CGO_ENABLED=0 go build -trimpath -o ratecycle ./cmd/ratecycle

bench:
	go test -run='^$$' -bench=. -benchmem ./...

# FUZZTIME=1m make fuzz runs every parser's fuzz target in turn.
FUZZTIME ?= 30s
fuzz:
	@for p in $$(go list ./source/...); do \
	  for f in $$(go test -list '^Fuzz' $$p | grep '^Fuzz'); do \
	    echo "== $$p $$f"; go test -run='^$$' -fuzz="^$$f$$" -fuzztime=$(FUZZTIME) $$p || exit 1; \
	  done; \
	done
