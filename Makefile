# Brokerlab build (GNU make). Needs Go on PATH (and Debian's zstd, installed if missing).
#   make build   dist/engine.wasm (the WASI reactor the browser and the tests run)
#   make test    vet + every test, on a freshly built dist/engine.wasm
#   make bench   every benchmark
#   make bench-speed  issue 12's speed table: native, wazero, Chromium, the sandbox page (SPEED='-quick -only 1k')
#   make run     the local server on $(ADDR) (make run ADDR=127.0.0.1:9000)
#   make fuzz    each fuzz target for $(FUZZTIME)
#   make soak    20,000 seeded fault schedules against the safety checker
#   make worker  the Cloudflare Worker build (server/build, assets in dist/)

GO       ?= go
FUZZTIME ?= 30s
# GOWASM: the sign-extension and saturating-conversion instructions (every
# browser since 2021 and wazero have them): a little smaller and faster code.
WASIP1   := GOOS=wasip1 GOARCH=wasm GOWASM=satconv,signext
RELEASE  := -trimpath -ldflags="-s -w"
# The engine's cold packages (parsing a scenario or a request, configs,
# the disk check, the assignors, the group coordinators, the share-partition
# state machine) compile without inlining in engine.wasm: ~6 KB less of its
# brotli, and ~12 KB for the coordinators and engine/share, no hot path
# slower. Natively nothing changes. The second line (the controller, the
# topic regex, and the packages ui.wasm links too: view, contract, metadata,
# rebalance) compiles as ui.wasm compiles them (UICOLD), and so does
# wasm/filestore (the files backend): -4.7 KB of brotli, -28 KB of dcz
# (zstd's matches into ui.wasm; without filestore on the list, none), wazero's
# CPU on speed/1k unchanged (6.7-6.8 s, 2026-12-07). engine/client would
# save 25 KB more of brotli but costs that run 6 % of CPU.
COLD     := scenario config diskcheck group/assign api group/coordinator share \
            controller internal/topicregex view contract metadata rebalance
NOINLINE := $(foreach p,$(COLD),-gcflags=github.com/brokerlab/brokerlab/engine/$(p)=-l) \
            -gcflags=github.com/brokerlab/brokerlab/wasm/filestore=-l
# ui.wasm's cold packages: the lessons' code and the engine packages it
# shares with engine.wasm, compiled without inlining (not ui, ui/bridge,
# engine/view or vugu, which run every frame): -11.5 KB of ui.wasm's brotli.
UICOLD   := engine/contract engine/contract/events engine/metadata engine/names engine/rebalance \
            internal/pattern lessons lessons/outcome lessons/session lessons/share
UINOINLINE := $(foreach p,$(UICOLD),-gcflags=github.com/brokerlab/brokerlab/$(p)=-l)
ADDR     ?= 127.0.0.1:8080
KAFKA    ?= 127.0.0.1:9092

.PHONY: build test bench bench-speed run run-kafka fuzz soak worker clean node FORCE

build: dist/engine.wasm

# Always handed to go build: its cache knows better than make what changed
# (a warm build with no Go change takes well under a second), and precompress
# leaves .gz/.br alone when they already hold the wasm's bytes.
dist/engine.wasm: FORCE
	@mkdir -p dist
	$(WASIP1) $(GO) build -buildmode=c-shared $(RELEASE) $(NOINLINE) -o $@ ./wasm/engine
	$(GO) run ./wasm/precompress $@

test: build chromium node axe kcat
	$(GO) vet ./...
	$(WASIP1) $(GO) vet ./wasm/engine
	$(GOJS) $(GO) vet ./ui/... ./wasm/ui
	BROKERLAB_E2E=required $(GO) test -count=1 -timeout 30m ./...

bench: build
	$(GO) test -run '^$$' -bench . -benchmem ./...

# One table for BENCHMARKS.md (wasm/speed; a few minutes, each run capped).
bench-speed: build chromium
	$(GO) run ./wasm/speed $(SPEED)

run: build
	$(GO) run ./server -addr $(ADDR)

# The playground with a Kafka listener for real clients (kcat, your own
# code): brokers on 127.0.0.1:9092, 9093, 9094; open the page with ?remote.
run-kafka: build
	$(GO) run ./server -addr $(ADDR) -kafka $(KAFKA)

fuzz: build
	@set -e; for pkg in $$($(GO) list ./...); do \
	  list=$$($(GO) test -list '^Fuzz' $$pkg); \
	  for target in $$(printf '%s\n' "$$list" | grep '^Fuzz' || true); do \
	    echo "== $$pkg $$target"; \
	    $(GO) test -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME) $$pkg; \
	  done; \
	done

soak: build
	BROKERLAB_SOAK=1 $(GO) test -count=1 -timeout 120m -run 'TestSafe|TestUnsafe' ./engine/simtest

# The Worker serves the same handler through github.com/syumai/workers; static
# assets go through the Workers asset layer (see server/README.md).
worker: build
	$(GO) run github.com/syumai/workers/cmd/workers-assets-gen -mode=go -o server/build
	GOOS=js GOARCH=wasm $(GO) build $(RELEASE) -o server/build/app.wasm ./server
	cp static/index.html static/*.css static/*.js dist/
	$(GO) run ./server -cf-headers > dist/_headers
	printf '*.br\n*.gz\n*.dcz\n' > dist/.assetsignore

clean:
	rm -rf dist server/build

FORCE:

# ---- UI: ui.wasm, its loader files and the browser test ----
#   make ui      dist/ui.wasm (+ .gz, .br), dist/wasm_exec.js, dist/vugu-render.js, dist/ui.css,
#                dist/text/<locale>.json (+ .gz, .br): the text of every locale but English,
#                which ui.wasm fetches when a learner picks it
#   make e2e     the chromedp browser test (installs Debian's chromium if missing)
GOJS := GOOS=js GOARCH=wasm

.PHONY: ui e2e chromium kcat zstd

build: ui
ui: dist/ui.wasm dist/wasm_exec.js dist/vugu-render.js dist/ui.css dist/text

# The list of lessons ui.wasm and builder.wasm build in (lessons/builtin_js.go)
# is brought in step with the lesson folders first, so a folder dropped into
# lessons/ (the lesson builder's export) is built in by make run and make test.
.PHONY: lessons-builtin
lessons-builtin:
	$(GO) test ./lessons -run '^TestBuiltinJSUpToDate$$' -count=1 -args -update-builtin >/dev/null

dist/ui.wasm: lessons-builtin FORCE
	@mkdir -p dist
	$(GOJS) $(GO) build $(RELEASE) $(UINOINLINE) -o $@ ./wasm/ui
	$(GO) run ./wasm/precompress $@

# The lesson builder: its own builder.wasm, which static/builder.js loads
# only when an author opens it (ui/builder), and its style sheet.
build: dist/builder.wasm dist/builder.css
dist/builder.wasm: lessons-builtin FORCE
	@mkdir -p dist
	$(GOJS) $(GO) build $(RELEASE) -tags builder -o $@ ./wasm/builder
	$(GO) run ./wasm/precompress $@

dist/builder.css: ui/builder/builder.css
	@mkdir -p dist
	cp ui/builder/builder.css $@

# engine.wasm compressed against ui.wasm, its dcz encoding (Compression
# Dictionary Transport): what Chromium downloads on a first visit, since the
# page fetches the engine after ui.wasm (wasm/precompress/dcz.go).
# Debian's zstd command encodes it (libzstd's optimal parser: 1.09 MB against
# klauspost/compress's 1.27 MB); without it precompress falls back to the latter.
build: dist/engine.wasm.dcz
dist/engine.wasm.dcz: dist/engine.wasm dist/ui.wasm | zstd
	$(GO) run ./wasm/precompress -dict dist/ui.wasm dist/engine.wasm

# ui.wasm builds in English only (of the lessons, their heads); the lessons' English text and the
# other locales' text are served beside it.
dist/text: FORCE
	$(GO) run ./ui/cmd/localetext -o $@
	$(GO) run ./wasm/precompress $@/*.json

# The loader must come from the Go that built ui.wasm.
dist/wasm_exec.js: FORCE
	@mkdir -p dist
	cp "$$($(GO) env GOROOT)/lib/wasm/wasm_exec.js" $@

# Vugu's renderer script, from the linked vugu module (the CSP forbids its eval).
dist/vugu-render.js: FORCE
	$(GO) run ./ui/cmd/vugujs -o $@

dist/ui.css: ui/ui.css
	@mkdir -p dist
	cp ui/ui.css $@

# Debian's chromium for the browser test (as root, or through sudo).
chromium:
	@test -x /usr/bin/chromium || { SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y --no-install-recommends chromium; }

# Debian's kcat (librdkafka): server/kafkawire's second, independent client
# (its test fails under make test without it).
kcat:
	@command -v kcat >/dev/null || { SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y --no-install-recommends kcat; }

# Debian's zstd: the encoder of engine.wasm's dcz (wasm/precompress/dcz.go).
# Where it cannot be installed the build goes on with klauspost/compress
# (a bigger dcz: TestFirstLoadSize may fail).
zstd:
	@command -v zstd >/dev/null || { SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y --no-install-recommends zstd; } \
	  || echo "make: no zstd command: engine.wasm.dcz falls back to klauspost/compress" >&2

# Node and npm: the tests of the WASI shim and the renderer patch run in node
# (internal/nodejs fails them under make test without it), and npm fetches axe.
node:
	@command -v node >/dev/null && command -v npm >/dev/null || { SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y --no-install-recommends nodejs npm; }

# axe-core, the accessibility engine the browser test injects (e2e/axe_test.go),
# from npm at a pinned version, checked against the tarball's SHA-256.
AXE_VERSION := 4.14.1
AXE_SHA256  := e6b0ce02b84d892e2e33e403485e7f3d6c29e2be6df65daf44d89ba564139745
AXE         := .cache/axe-core-$(AXE_VERSION)/axe.min.js
.PHONY: axe
axe: $(AXE)
$(AXE): | node
	@mkdir -p $(@D)
	cd $(@D) && npm pack --silent axe-core@$(AXE_VERSION) >/dev/null \
	  && echo "$(AXE_SHA256)  axe-core-$(AXE_VERSION).tgz" | sha256sum -c --quiet \
	  && tar -xzf axe-core-$(AXE_VERSION).tgz package/axe.min.js \
	  && mv package/axe.min.js . && rm -rf package axe-core-$(AXE_VERSION).tgz

e2e: build chromium axe
	BROKERLAB_E2E=required $(GO) test -count=1 -timeout 30m ./e2e
