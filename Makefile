# Assay — the two commands of a fresh machine:
#   make run    set up, build, run the default experiment, print and store its results
#   make test   set up, build, run every test (Swift, C plugins, Python references)
#   make bench  Assay against a numpy + scikit-learn reference (bench/, docs/PERFORMANCE.md)

SWIFT       ?= swift
SWIFTC      ?= swiftc
# The C compiler SwiftPM uses for C targets, so that bench kernels match the build.
CLANG       ?= clang
CONFIG      ?= configs/default.toml
RESULTS     ?= results
VENV        ?= .venv
BENCH_BUILD ?= .build/bench
SUDO        := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# libpython3-dev brings the shared libpython3.x.so.1.0 that the python verifier
# loads at run time (Debian's python3 executable is linked statically).
APT_PACKAGES = libopenblas-dev libffi-dev libsqlite3-dev librsvg2-bin libpython3-dev

.PHONY: run test test-python check-plugins check-documents build release deps venv bench figures fig3 data clean

run: deps release
	@mkdir -p $(RESULTS)
	.build/release/assay run $(CONFIG) --db $(RESULTS)/assay.sqlite
	@.build/release/assay results --db $(RESULTS)/assay.sqlite \
	    $$(.build/release/assay results --db $(RESULTS)/assay.sqlite | tail -1 | awk '{print $$1}') --json > $(RESULTS)/latest.json
	@echo "results: $(RESULTS)/assay.sqlite (all runs), $(RESULTS)/latest.json (this run)"

test: deps venv build check-plugins check-documents
	# A crashing test must fail the run, not hang it in the crash reporter.
	SWIFT_BACKTRACE=enable=no ASSAY_PYTHON=$(CURDIR)/$(VENV)/bin/python $(SWIFT) test
	$(MAKE) --no-print-directory test-python

# `assay check` (docs/ABI.md, "Checking a plugin") on every plugin the build
# ships and on examples/c-verifier, built by its own Makefile in a copy under
# .build (the checkout stays clean). A plugin whose libassay_<name>.so has a
# Tests/Fixtures/check-configs/<name>.toml is checked with that config.
CHECK_BUILD   = .build/check-plugins
CHECK_CONFIGS = Tests/Fixtures/check-configs
check-plugins: build
	@rm -rf $(CHECK_BUILD) && mkdir -p $(CHECK_BUILD) && cp -R examples/c-verifier $(CHECK_BUILD)/
	@rm -f $(CHECK_BUILD)/c-verifier/*.so
	$(MAKE) --no-print-directory -C $(CHECK_BUILD)/c-verifier INCLUDE=$(CURDIR)/Sources/PluginAPI/include CFLAGS=-Werror
	@status=0; for library in .build/debug/libassay_*.so $(CHECK_BUILD)/c-verifier/libc_sign.so; do \
	    name=$$(basename $$library .so); name=$${name#libassay_}; \
	    config=""; [ -f $(CHECK_CONFIGS)/$$name.toml ] && config="--config $(CHECK_CONFIGS)/$$name.toml"; \
	    echo "assay check $$library $$config"; \
	    .build/debug/assay check $$library $$config || status=1; \
	done; exit $$status

# The shipped configs' JSON documents against Tests/Fixtures/documents
# (scripts/check-documents.sh): a change that means to move a number
# regenerates them with `scripts/check-documents.sh --update` and says so.
check-documents: build
	sh scripts/check-documents.sh .build/debug

# The Python embedding (python/assay over libAssay.so of the debug build).
test-python: venv build
	ASSAY_LIBRARY=$(CURDIR)/.build/debug/libAssay.so $(VENV)/bin/python -m pytest -q python/tests

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# Every PNG in docs/figures, from the commands the docs name (~11 min on 2
# cores; reports, SVGs and printed tables land in $(RESULTS)/figures).
FIGURES ?= docs/figures
figures: deps release
	RESULTS=$(RESULTS) FIGURES=$(FIGURES) sh docs/figures/regenerate.sh

# The paper's Figure 3 at full scale (configs/fig3.toml, ~3 min on 2 cores):
# the sweep's tables and claims in $(RESULTS)/fig3.txt, its report in
# $(RESULTS)/fig3.html with every figure as SVG in $(RESULTS)/fig3-figures.
fig3: deps release
	@mkdir -p $(RESULTS)
	.build/release/assay run configs/fig3.toml --db $(RESULTS)/assay.sqlite | tee $(RESULTS)/fig3.txt
	run=$$(.build/release/assay results --db $(RESULTS)/assay.sqlite | tail -1 | awk '{print $$1}'); \
	.build/release/assay report $$run --db $(RESULTS)/assay.sqlite --output $(RESULTS)/fig3.html --figures $(RESULTS)/fig3-figures

# Assay against bench/reference.py (numpy + scikit-learn) at N1 = 10^6 and
# 10^7, plus the ABI overhead and single-core kernel timings. BENCH_REPEATS=R
# (default 3) repeats each run; BENCH_FULL=1 adds the 10^8 pool (~30 s).
bench: deps venv release $(BENCH_BUILD)/abi_overhead $(BENCH_BUILD)/kernels
	BENCH_BUILD=$(BENCH_BUILD) $(VENV)/bin/python bench/bench.py

# Compiled with Assay's own Sources/Numerics and Sources/SIMDKernels (by the
# toolchain's clang, as SwiftPM does), so it times the project's kernels.
SIMD_SOURCES = $(wildcard Sources/SIMDKernels/*.c)
SIMD_OBJECTS = $(patsubst Sources/SIMDKernels/%.c,$(BENCH_BUILD)/simd/%.o,$(SIMD_SOURCES))

$(BENCH_BUILD)/kernels: bench/kernels.swift $(wildcard Sources/Numerics/*.swift) $(SIMD_OBJECTS)
	$(SWIFTC) -O -wmo -parse-as-library -module-name BenchKernels -I Sources/COpenBLAS -I Sources/SIMDKernels/include \
	    $< Sources/Numerics/*.swift $(SIMD_OBJECTS) -lopenblas -o $@

$(BENCH_BUILD)/simd/%.o: Sources/SIMDKernels/%.c $(wildcard Sources/SIMDKernels/include/*.h)
	@mkdir -p $(BENCH_BUILD)/simd
	$(CLANG) -std=c11 -O2 -Wall -Wextra -I Sources/SIMDKernels/include -c $< -o $@

# bench/abi_overhead times the margin verifier through the ABI (the release
# build's libassay_margin.so) against the same Swift code linked directly.
# "The same code" means built as SwiftPM builds the plugin: Numerics,
# ConfigKit and PluginKit as modules of their own (-O -wmo, .swiftmodule +
# one object each in $(ABI_BUILD)), and MarginVerifier.swift in the
# harness's module, so that its `import Numerics` and `import PluginKit`
# resolve as in the plugin (its assay_plugin_entry comes along, unused: the
# harness looks the symbol up in the loaded library). PluginAPI has no
# module map of its own (SwiftPM generates one): bench/PluginAPI.modulemap
# stands in for it.
ABI_BUILD = $(BENCH_BUILD)/abi
ABI_SWIFTFLAGS = -O -wmo -parse-as-library -swift-version 5 -I $(ABI_BUILD) -I Sources/COpenBLAS \
    -I Sources/SIMDKernels/include -Xcc -fmodule-map-file=bench/PluginAPI.modulemap
PLUGIN_API_HEADERS = $(wildcard Sources/PluginAPI/include/*.h) bench/PluginAPI.modulemap

$(BENCH_BUILD)/abi_overhead: bench/abi_overhead.swift Plugins/Margin/MarginVerifier.swift \
        $(ABI_BUILD)/Numerics.o $(ABI_BUILD)/ConfigKit.o $(ABI_BUILD)/PluginKit.o $(SIMD_OBJECTS) $(PLUGIN_API_HEADERS)
	$(SWIFTC) $(ABI_SWIFTFLAGS) -module-name ABIOverhead bench/abi_overhead.swift Plugins/Margin/MarginVerifier.swift \
	    $(ABI_BUILD)/Numerics.o $(ABI_BUILD)/ConfigKit.o $(ABI_BUILD)/PluginKit.o $(SIMD_OBJECTS) -lopenblas -o $@

# Each writes its object and, beside it, the .swiftmodule its importers read.
$(ABI_BUILD)/Numerics.o: $(wildcard Sources/Numerics/*.swift) $(wildcard Sources/SIMDKernels/include/*)
	@mkdir -p $(ABI_BUILD)
	$(SWIFTC) $(ABI_SWIFTFLAGS) -module-name Numerics -emit-module -emit-module-path $(ABI_BUILD)/Numerics.swiftmodule \
	    -c $(filter %.swift,$^) -o $@

$(ABI_BUILD)/ConfigKit.o: $(wildcard Sources/ConfigKit/*.swift)
	@mkdir -p $(ABI_BUILD)
	$(SWIFTC) $(ABI_SWIFTFLAGS) -module-name ConfigKit -emit-module -emit-module-path $(ABI_BUILD)/ConfigKit.swiftmodule \
	    -c $(filter %.swift,$^) -o $@

$(ABI_BUILD)/PluginKit.o: $(wildcard Sources/PluginKit/*.swift) $(ABI_BUILD)/ConfigKit.o $(PLUGIN_API_HEADERS)
	@mkdir -p $(ABI_BUILD)
	$(SWIFTC) $(ABI_SWIFTFLAGS) -module-name PluginKit -emit-module -emit-module-path $(ABI_BUILD)/PluginKit.swiftmodule \
	    -c $(filter %.swift,$^) -o $@

# The summarization corpus: Debian's English package descriptions (long
# description -> synopsis), fetched by apt into a lists folder of its own and
# prepared in data/debian/ (pairs.jsonl, manifest.json with sha256 and counts).
DATA ?= data/debian
data: $(DATA)/manifest.json
$(DATA)/manifest.json: scripts/fetch-debian-corpus.sh scripts/prepare_debian_corpus.py
	sh scripts/fetch-debian-corpus.sh $(DATA)

# System packages, installed only when missing.
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	    echo "installing$$missing"; \
	    $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

# Python references for the tests (numpy, scipy, scikit-learn, rouge-score).
venv: $(VENV)/.ready
$(VENV)/.ready: python/requirements-test.txt
	python3 -m venv --system-site-packages $(VENV)
	$(VENV)/bin/pip install -q -r python/requirements-test.txt
	@touch $@

clean:
	rm -rf .build $(VENV)
