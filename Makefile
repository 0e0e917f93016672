# Portico — build, test and demo entry points. `make test` is what CI runs (.ci/run).
SHELL := /bin/bash
SWIFT ?= swift
VENV := .venv
PYTHON := $(VENV)/bin/python
APT_PACKAGES := libnghttp2-dev libprotobuf-c-dev protobuf-compiler nghttp2-client pkg-config zlib1g-dev
# promtool and the Prometheus server check /metrics and the alerting rules in the tests; redis-server backs the
# shared rate-limit tests.
TEST_APT_PACKAGES := prometheus redis-server
SWIFT_TEST_FLAGS ?=

.PHONY: deps apt-deps test-apt-deps apt-install venv build release test faults sanitize demo clean fuzz-build fuzz fuzz-smoke fuzz-replay

## deps: install, idempotently, every system and Python package the build and tests need.
deps: apt-deps test-apt-deps venv

apt-deps:
	@$(MAKE) --no-print-directory apt-install PACKAGES="$(APT_PACKAGES)"

test-apt-deps:
	@$(MAKE) --no-print-directory apt-install PACKAGES="$(TEST_APT_PACKAGES)"

apt-install:
	@missing=""; for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

venv: $(VENV)/.installed

$(VENV)/.installed: requirements-dev.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -r requirements-dev.txt
	touch $@

## demo: build, then run the three demo backends and the gateway on the bundled Protos/ and Mappings/.
demo: apt-deps
	$(SWIFT) build --product portico
	$$($(SWIFT) build --show-bin-path)/portico demo

## build: a debug build of every target.
build: deps
	$(SWIFT) build --build-tests

## release: the production binary, .build-release/release/portico. The Swift runtime, Foundation and Dispatch are
## linked into it (--static-swift-stdlib): it runs without a Swift toolchain on the host (it needs libc, libstdc++,
## zlib, libnghttp2 and libprotobuf-c), and calls into the runtime (retain, release, allocation) are direct calls
## instead of calls through the shared libraries' PLT, about a quarter less CPU per request (docs/performance.md).
## The benchmarks build and measure this binary. Its code is laid out for a small resident set: every function in
## a section of its own (-function-sections), linked by lld with the functions a running gateway touches first and
## side by side (scripts/symbol-order.txt, made by scripts/symbol-order.sh), relative relocations packed
## (pack-relative-relocs: the loader no longer writes through 3.4 MiB of them at start) and no dynamic symbol
## table of its own (nothing loads symbols from it). RELEASE_LINK adds linker flags (symbol-order.sh asks for a
## link map). The Swift driver keeps objects compiled under other RELEASE_FLAGS (it was seen to keep objects
## without function sections), so a change to them starts the release build afresh.
RELEASE_FLAGS = -Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections -Xswiftc -use-ld=lld \
	-Xlinker -z -Xlinker pack-relative-relocs -Xlinker --no-export-dynamic \
	-Xlinker --symbol-ordering-file=$(CURDIR)/scripts/symbol-order.txt -Xlinker --no-warn-symbol-ordering
release: apt-deps
	@mkdir -p .build-release && echo '$(RELEASE_FLAGS)' | cmp -s - .build-release/flags || \
		{ rm -rf .build-release/$$(uname -m)-unknown-linux-gnu; echo '$(RELEASE_FLAGS)' > .build-release/flags; }
	$(SWIFT) build -c release --scratch-path .build-release --static-swift-stdlib --product portico \
		$(RELEASE_FLAGS) $(RELEASE_LINK)

## test: deps, build, every test suite, then a short run of every fuzz target. SWIFTNIO_STRICT makes a leaked
## promise or a task scheduled on a shut-down event loop a crash instead of a printed warning. The listener's
## clock tests (2 s head clocks against real sockets) run on their own after the others: in the first seconds of
## the parallel run (hundreds of tests, Python peers starting) a fresh gateway's event loop was seen to wait more
## than 2 s for its first read, so its head clock fired on a request that had arrived whole.
TIMED_SUITES := ListenerDefenceTests
test: build
	SWIFTNIO_STRICT=1 PORTICO_PYTHON=$(abspath $(PYTHON)) $(SWIFT) test --skip-build --skip '$(TIMED_SUITES)' $(SWIFT_TEST_FLAGS)
	SWIFTNIO_STRICT=1 PORTICO_PYTHON=$(abspath $(PYTHON)) $(SWIFT) test --skip-build --filter '$(TIMED_SUITES)' $(SWIFT_TEST_FLAGS)
	@$(MAKE) --no-print-directory fuzz-smoke

## faults: the fault suites alone (also part of `make test`): broken and silent backends, GOAWAY storms, restarts,
## dropped connections, refused connections, breakers and retries, replicas killed under load or not serving,
## and Redis stopped under shared rate limits.
faults: build
	SWIFTNIO_STRICT=1 PORTICO_PYTHON=$(abspath $(PYTHON)) $(SWIFT) test --skip-build --filter 'BackendFaultTests|BackendFailureTests|PoolTests|BackendClusterTests|RedisRateLimitEndToEndTests|StreamingTests|ClientStreaming|WebSocketTests'

## sanitize: the test suites under AddressSanitizer (leak reports off: XCTest and Foundation.Process leak at exit).
sanitize: deps
	ASAN_OPTIONS=detect_leaks=0 PORTICO_PYTHON=$(abspath $(PYTHON)) $(SWIFT) test --scratch-path .build-asan --sanitize=address

## fuzz: each libFuzzer target (Fuzz/, AddressSanitizer) for FUZZ_SECONDS, from its seed corpus in Fuzz/Corpus;
## the growing corpus is kept in .fuzz-corpus, crashing inputs land in .fuzz-artifacts.
FUZZ_TARGETS := FuzzJSON FuzzWire FuzzProtoParser FuzzDescriptorSet FuzzPathTemplate FuzzQuery FuzzConfig FuzzJWT FuzzHTTP1 FuzzHTTP2 FuzzCompile
FUZZ_SECONDS ?= 600
FUZZ_BUILD := $(SWIFT) build --package-path Fuzz --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -parse-as-library -Xswiftc -use-ld=lld

fuzz-build: apt-deps
	$(FUZZ_BUILD)

fuzz: fuzz-build
	@mkdir -p .fuzz-artifacts
	@for target in $(FUZZ_TARGETS); do \
		mkdir -p .fuzz-corpus/$$target && cp -n Fuzz/Corpus/$$target/* .fuzz-corpus/$$target/ && \
		if [ $$target = FuzzProtoParser ]; then find Tests/Fixtures/protos -name '*.proto' -exec cp -n {} .fuzz-corpus/$$target/ \; ; fi && \
		echo "fuzzing $$target for $(FUZZ_SECONDS) s" && \
		ASAN_OPTIONS=detect_leaks=0 .build-fuzz/debug/$$target -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=4096 \
			-artifact_prefix=.fuzz-artifacts/$$target- -print_final_stats=1 .fuzz-corpus/$$target > .fuzz-artifacts/$$target.log 2>&1; \
		status=$$?; grep -E "^(Done|stat::number_of_executed_units|stat::peak_rss_mb)|ERROR|SUMMARY" .fuzz-artifacts/$$target.log; \
		[ $$status = 0 ] || { tail -40 .fuzz-artifacts/$$target.log; exit 1; }; \
	done

## fuzz-smoke: a short run of every fuzz target (part of `make test`).
fuzz-smoke:
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=15

## fuzz-replay: every target built without libFuzzer, run once on its seed corpus (regressions included).
fuzz-replay:
	$(SWIFT) build --package-path Fuzz --scratch-path .build-fuzz-replay
	@for target in $(FUZZ_TARGETS); do .build-fuzz-replay/debug/$$target Fuzz/Corpus/$$target || exit 1; done

clean:
	rm -rf .build .build-release .build-asan .build-fuzz .build-fuzz-replay .fuzz-corpus .fuzz-artifacts
