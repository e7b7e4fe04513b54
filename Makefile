# Assay — the two commands of a fresh machine:
#   make run    set up, build, run the default experiment, print and store its results
#   make test   set up, build, run every test (Swift, C plugins, Python references)

SWIFT       ?= swift
CONFIG      ?= configs/default.toml
RESULTS     ?= results
VENV        ?= .venv
SUDO        := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES = libopenblas-dev libffi-dev libsqlite3-dev

.PHONY: run test build release deps venv clean

run: deps release
	@mkdir -p $(RESULTS)
	.build/release/assay run $(CONFIG) --db $(RESULTS)/assay.sqlite
	@.build/release/assay results --db $(RESULTS)/assay.sqlite \
	    $$(.build/release/assay results --db $(RESULTS)/assay.sqlite | tail -1 | awk '{print $$1}') --json > $(RESULTS)/latest.json
	@echo "results: $(RESULTS)/assay.sqlite (all runs), $(RESULTS)/latest.json (this run)"

test: deps venv build
	ASSAY_PYTHON=$(CURDIR)/$(VENV)/bin/python $(SWIFT) test

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

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
	$(VENV)/bin/pip install -q numpy scipy scikit-learn
	@touch $@

clean:
	rm -rf .build $(VENV)
