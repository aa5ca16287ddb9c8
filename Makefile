# Brokerlab build (GNU make). Needs only Go on PATH.
#   make build   dist/engine.wasm (the WASI reactor the browser and the tests run)
#   make test    vet + every test, on a freshly built dist/engine.wasm
#   make bench   every benchmark
#   make run     the local server
#   make fuzz    each fuzz target for $(FUZZTIME)

GO       ?= go
FUZZTIME ?= 30s
WASIP1   := GOOS=wasip1 GOARCH=wasm
RELEASE  := -trimpath -ldflags="-s -w"

.PHONY: build test bench run fuzz clean FORCE

build: dist/engine.wasm
# TODO(lead): dist/ui.wasm (GOOS=js GOARCH=wasm) and dist/wasm_exec.js, copied from
# $(go env GOROOT)/lib/wasm/wasm_exec.js so it always matches the Go that built ui.wasm.

# Always handed to go build: its cache knows better than make what changed.
dist/engine.wasm: FORCE
	@mkdir -p dist
	$(WASIP1) $(GO) build -buildmode=c-shared $(RELEASE) -o $@ ./wasm/engine

test: build
	$(GO) vet ./...
	$(WASIP1) $(GO) vet ./wasm/engine
	$(GO) test -count=1 ./...

bench: build
	$(GO) test -run '^$$' -bench . -benchmem ./...

run: build
	$(GO) run ./server

fuzz: build
	@set -e; for pkg in $$($(GO) list ./...); do \
	  list=$$($(GO) test -list '^Fuzz' $$pkg); \
	  for target in $$(printf '%s\n' "$$list" | grep '^Fuzz' || true); do \
	    echo "== $$pkg $$target"; \
	    $(GO) test -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME) $$pkg; \
	  done; \
	done

clean:
	rm -rf dist

FORCE:
