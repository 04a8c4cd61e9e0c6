# The README's two commands: `make run` and `make test`. Both install missing
# Debian packages first, then build with CMake into ./build.
BUILD_DIR ?= build
JOBS ?= 2
LISTEN ?= 127.0.0.1:50051
DATA_DIR ?= data/db
RUN_DIR ?= data/run
FUZZ_SECONDS ?= 20

.PHONY: all deps configure build test run stop bench fuzz clean lint-proto

all: build

deps:
	@scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 600

run: build
	@scripts/run-demo.sh "$(BUILD_DIR)" "$(LISTEN)" "$(DATA_DIR)" "$(RUN_DIR)"

stop:
	@if [ -f $(RUN_DIR)/yingshangd.pid ]; then kill `cat $(RUN_DIR)/yingshangd.pid` 2>/dev/null || true; rm -f $(RUN_DIR)/yingshangd.pid; echo "yingshangd stopped"; fi

# buf lint + buf breaking against proto-released/ (buf from npm, see
# scripts/lint-proto.sh; prints SKIPPED and succeeds when buf cannot be
# installed).
lint-proto:
	@scripts/lint-proto.sh || test $$? -eq 77

bench: build
	@bench/run.sh "$(BUILD_DIR)"

# libFuzzer targets (clang, ./build-fuzz), FUZZ_SECONDS per target; see
# tests/fuzz/README.md.
fuzz: deps
	@scripts/fuzz.sh $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD_DIR)
