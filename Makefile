# Portico — build, test and demo entry points. `make test` is what CI runs (.ci/run).
SHELL := /bin/bash
SWIFT ?= swift
VENV := .venv
PYTHON := $(VENV)/bin/python
APT_PACKAGES := libnghttp2-dev libprotobuf-c-dev protobuf-compiler nghttp2-client pkg-config zlib1g-dev
# promtool and the Prometheus server check /metrics and the alerting rules in the tests.
TEST_APT_PACKAGES := prometheus
SWIFT_TEST_FLAGS ?=

.PHONY: deps apt-deps test-apt-deps apt-install venv build test sanitize demo clean

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

## test: deps, build, and every test suite. SWIFTNIO_STRICT makes a leaked promise or a task scheduled on a
## shut-down event loop a crash instead of a printed warning.
test: build
	SWIFTNIO_STRICT=1 PORTICO_PYTHON=$(abspath $(PYTHON)) $(SWIFT) test --skip-build $(SWIFT_TEST_FLAGS)

## sanitize: the test suites under AddressSanitizer (leak reports off: XCTest and Foundation.Process leak at exit).
sanitize: deps
	ASAN_OPTIONS=detect_leaks=0 PORTICO_PYTHON=$(abspath $(PYTHON)) $(SWIFT) test --scratch-path .build-asan --sanitize=address

clean:
	rm -rf .build .build-asan
