# Playground's front door. `make run` and `make test` install what is missing
# (Debian packages, so root or sudo the first time), build, and go.
PRESET ?= release
BUILD := build/$(PRESET)

.PHONY: all deps build test test-all test-sanitizers test-fuzz fuzz run bench images \
        cluster cluster-down seccomp-profile format clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	@cmake --preset $(PRESET) >/dev/null
	@cmake --build $(BUILD)

# make test: every test of $(PRESET), the container tests included (they
# start a Docker engine and build the images); with the default preset also
# the unit and integration tests under ASan+UBSan and a short run of each
# fuzz target.
test:
	@scripts/install-deps.sh --containers
	@# The images build in the background from here on: their downloads
	@# overlap the host's compile, their compile the tests that need no
	@# Docker; the container tests wait for it. Its log: $(BUILD)/images.log.
	@# A Docker engine the run started is stopped at its end, pass or fail.
	@mkdir -p $(BUILD)
	@scripts/build-images.sh e2e >$(BUILD)/images.log 2>&1 &
	@status=0; $(MAKE) --no-print-directory test-all || status=$$?; \
	  scripts/stop-docker.sh; exit $$status

# What `make test` runs once the images are building.
test-all: build
	@scripts/run-tests.sh $(BUILD)
ifeq ($(PRESET),release)
	@$(MAKE) --no-print-directory test-sanitizers test-fuzz
endif

# The unit and integration tests (and the programs they start) built with
# AddressSanitizer and UndefinedBehaviorSanitizer; any report fails them.
test-sanitizers: deps
	@cmake --preset asan >/dev/null
	@cmake --build build/asan --target unit_tests integration_tests
	@scripts/run-tests.sh build/asan -L '^(unit|integration)$$'

# Each fuzz target for FUZZ_SECONDS (default 10) from its seed corpus, one
# per core at a time: each is one process on one core, so the same fuzzing
# in a fraction of the wall time.
test-fuzz: deps
	@cmake --preset fuzz >/dev/null
	@cmake --build build/fuzz
	@scripts/run-tests.sh build/fuzz -L '^fuzz$$' -j $$(nproc)

# A longer fuzzing session, e.g. make fuzz FUZZ_SECONDS=600 FUZZ_JOBS=2:
# a new random seed each time; what it finds stays in build/fuzz/tests/fuzz.
FUZZ_SECONDS ?= 600
FUZZ_JOBS ?= 1
fuzz: deps
	@cmake --preset fuzz >/dev/null
	@cmake --build build/fuzz
	@FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_SEED=0 scripts/run-tests.sh build/fuzz -L '^fuzz$$' -j $(FUZZ_JOBS)

run: build
	@BIN=$(BUILD)/bin scripts/run-local.sh

bench: build
	@BIN=$(BUILD)/bin bench/run.sh
	@BIN=$(BUILD)/bin bench/cpu_per_run.sh
	@BIN=$(BUILD)/bin bench/frontend.sh
	@BIN=$(BUILD)/bin bench/data.sh

# playground-backend:$(IMAGE_TAG) and playground-frontend:$(IMAGE_TAG).
IMAGE_TAG ?= dev
images: deps
	@scripts/install-deps.sh --containers
	@scripts/build-images.sh $(IMAGE_TAG)

# The Kubernetes lab: two real single-node clusters, gke and aks, on this
# machine (scripts/lab/lab.sh; root). Then deploy as to two clouds:
#   KUBECONFIG=build/cluster/kubeconfig deploy/multicloud.sh --gke gke --aks aks \
#     --registry 127.0.0.1:5050/playground --overlays deploy/k8s/lab
# make cluster-down stops both and leaves nothing outside build/.
cluster:
	@scripts/lab/lab.sh up
	@echo "Deploy: KUBECONFIG=build/cluster/kubeconfig PATH=\$$PWD/build/cluster/tools/bin:\$$PATH deploy/multicloud.sh --gke gke --aks aks --registry 127.0.0.1:5050/playground --overlays deploy/k8s/lab"

cluster-down:
	@scripts/lab/lab.sh down

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
