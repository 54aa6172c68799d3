# The commands the README names. Each language's suite lives in its own
# script so that it can also be run alone.
SHELL := /bin/bash
.DEFAULT_GOAL := help
export CARGO_TERM_COLOR ?= never

.PHONY: help demo test test-generated test-rust test-c test-python test-go test-fuzz lint header header-check generate generate-check bench model install venv dist fuzz

help:
	@echo "make demo    build, start the local emulator, run the quick starts (Python, C, Go)"
	@echo "make test    every suite: Rust, C (ASan+UBSan and valgrind), Python, Go"
	@echo "make bench   benchmarks of the profile-guided release builds (PGO=0: plain); rewrites bench/RESULTS.md"
	@echo "make lint    rustfmt, clippy, ruff, mypy, go vet"
	@echo "make generate  every generated file (Rust, C header, Go, Python) from the model and tools/front_doors.py"
	@echo "make header  regenerate include/cognito_identity.h with cbindgen"
	@echo "make dist    release artifacts in dist/: manylinux wheels (client, emulator), sdist, C archive; then checks them"
	@echo "             (the client wheel and C library profile-guided by tools/pgo.sh; PGO=0: plain)"
	@echo "make install PREFIX=/usr/local   install the C library, header and pkg-config file"
	@echo "make fuzz FUZZ_SECONDS=N   run each fuzz target N s (nightly, cargo-fuzz); executions and crashes per target"

demo:
	bash examples/run_demo.sh

# Each suite runs even when an earlier one failed; the exit status is the
# worst of them, and a summary line names the failures. The fuzz smoke run
# (5 s a target, nightly only) builds beside the suites at nice 19, on the CPU
# time they leave idle; its output comes last.
test:
	@mkdir -p target; \
	bash fuzz/smoke.sh 5 >target/fuzz-smoke.log 2>&1 & smoke=$$!; \
	failed=""; \
	for suite in test-generated test-rust test-c test-python test-go; do \
	  echo "=== $$suite ==="; \
	  $(MAKE) --no-print-directory $$suite || failed="$$failed $$suite"; \
	done; \
	echo "=== test-fuzz (fuzz/smoke.sh 5) ==="; \
	wait $$smoke || failed="$$failed test-fuzz"; \
	cat target/fuzz-smoke.log; \
	if [ -n "$$failed" ]; then echo "FAILED suites:$$failed (disk: $$(df -h . | tail -1))"; exit 1; fi; \
	echo "all suites passed"

# A few seconds of every fuzz target (skipped, with a message, without nightly Rust).
test-fuzz:
	bash fuzz/smoke.sh 5

# Fails when a generated file was edited by hand or is stale.
test-generated: generate-check

test-rust:
	bash tools/test_rust.sh

test-c:
	bash tests/c/run.sh

test-python: venv
	bash tests/python/run.sh

test-go:
	bash go/run_tests.sh

venv:
	bash tools/venv.sh

lint: venv
	bash tools/lint.sh

header:
	bash tools/header.sh write

header-check:
	bash tools/header.sh check

bench:
	bash bench/run.sh

generate: venv
	.venv/bin/python tools/generate.py
	bash tools/header.sh write

generate-check: venv
	.venv/bin/python tools/generate.py --check
	bash tools/header.sh check

# The former name of `make generate`.
model: generate

install:
	bash tools/install_c.sh "$(PREFIX)"

dist: venv
	bash tools/dist.sh

# Every fuzz target for FUZZ_SECONDS (default 60) each; see fuzz/README.md.
fuzz:
	bash fuzz/run.sh $(or $(FUZZ_SECONDS),60)
