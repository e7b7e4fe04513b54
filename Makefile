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

.PHONY: run test test-python build release deps venv bench figures fig3 clean

run: deps release
	@mkdir -p $(RESULTS)
	.build/release/assay run $(CONFIG) --db $(RESULTS)/assay.sqlite
	@.build/release/assay results --db $(RESULTS)/assay.sqlite \
	    $$(.build/release/assay results --db $(RESULTS)/assay.sqlite | tail -1 | awk '{print $$1}') --json > $(RESULTS)/latest.json
	@echo "results: $(RESULTS)/assay.sqlite (all runs), $(RESULTS)/latest.json (this run)"

test: deps venv build
	# A crashing test must fail the run, not hang it in the crash reporter.
	SWIFT_BACKTRACE=enable=no ASSAY_PYTHON=$(CURDIR)/$(VENV)/bin/python $(SWIFT) test
	$(MAKE) --no-print-directory test-python

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

# System packages, installed only when missing.
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	    echo "installing$$missing"; \
	    $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

# Python references for the tests (numpy, scipy, scikit-learn).
venv: $(VENV)/.ready
$(VENV)/.ready:
	python3 -m venv --system-site-packages $(VENV)
	$(VENV)/bin/pip install -q numpy scipy scikit-learn pytest
	@touch $@

clean:
	rm -rf .build $(VENV)
