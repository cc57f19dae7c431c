# Playground's front door. `make run` and `make test` install what is missing
# (Debian packages, so root or sudo the first time), build, and go.
PRESET ?= release
BUILD := build/$(PRESET)

.PHONY: all deps build test run bench format clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	@cmake --preset $(PRESET) >/dev/null
	@cmake --build $(BUILD)

test: build
	@scripts/run-tests.sh $(BUILD)

run: build
	@BIN=$(BUILD)/bin scripts/run-local.sh

bench: build
	@BIN=$(BUILD)/bin bench/run.sh
	@BIN=$(BUILD)/bin bench/frontend.sh

format:
	@clang-format -i $$(git ls-files '*.cc' '*.h')

clean:
	rm -rf build
