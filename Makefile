# Playground's front door. `make run` and `make test` install what is missing
# (Debian packages, so root or sudo the first time), build, and go.
PRESET ?= release
BUILD := build/$(PRESET)

.PHONY: all deps build test run bench images seccomp-profile format clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	@cmake --preset $(PRESET) >/dev/null
	@cmake --build $(BUILD)

# Every test, the container tests included (they start a Docker engine and
# build the images; scripts/install-deps.sh --containers installs what they need).
test: build
	@scripts/install-deps.sh --containers
	@scripts/run-tests.sh $(BUILD)

run: build
	@BIN=$(BUILD)/bin scripts/run-local.sh

bench: build
	@BIN=$(BUILD)/bin bench/run.sh
	@BIN=$(BUILD)/bin bench/frontend.sh

# playground-backend:$(IMAGE_TAG) and playground-frontend:$(IMAGE_TAG).
IMAGE_TAG ?= dev
images: deps
	@scripts/install-deps.sh --containers
	@scripts/build-images.sh $(IMAGE_TAG)

# Regenerates the backend container's seccomp profile from the sandbox's
# allowlist (a unit test fails while the committed file differs), and its copy
# in the Kubernetes base (Kustomize reads no file outside its directory).
seccomp-profile: build
	@$(BUILD)/bin/playground-seccomp-profile > deploy/docker/seccomp-backend.json
	@cp deploy/docker/seccomp-backend.json deploy/k8s/base/backend/seccomp-backend.json

format:
	@clang-format -i $$(git ls-files '*.cc' '*.h')

clean:
	rm -rf build
