# digitag — the two commands a new user needs are `make run` and `make test`.
SHELL := /bin/bash
SWIFT ?= swift
AS_OF ?= 2024-12-31
APT_PACKAGES := libcsv-dev libzstd-dev libssl-dev zstd python3-venv
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BIN := .build/release/digitag

.PHONY: all deps build run serve test docs-test fuzz lint sample-data clean help oracle-env report-env browser-env bench load test-deploy spark-env test-spark

all: build

help:
	@echo "make run          install what is missing, build (release), run the pipeline on SampleData, draw a sample"
	@echo "make serve        the web application on the SampleData run, with demo users (demo passwords printed)"
	@echo "make test         the whole test suite (unit, catalog lint, end to end, DuckDB oracle, report in headless Chromium)"
	@echo "make test-spark   the catalog on Spark local[2] vs the native run (installs Java 17 and pyspark if missing; ~3 min)"
	@echo "make docs-test    run every command example of README.md and docs/ and compare its output"
	@echo "make fuzz         hostile deliveries: mutated SampleData runs end with exit 0/3/4 and lose no line (~2 min)"
	@echo "make lint         check the pipeline files (tags, risk model, sources)"
	@echo "make test-deploy  the nginx config of Pipelines/deploy/: nginx -t and a real HTTPS request through it (installs nginx)"
	@echo "make load         wrk against digitag serve on 1M enterprises, 10 minutes (long: see BENCHMARKS.md)"
	@echo "make bench        issue-6 benchmark at 1M and 3M enterprises vs DuckDB and libcsv (long: see BENCHMARKS.md)"
	@echo "make sample-data  regenerate SampleData's generated files (hand-made edge cases are kept)"
	@echo "make clean        remove builds, runs and samples"

# Installs the C libraries (libcsv, libzstd) only if they are missing.
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build -c release --product digitag

run: build
	$(BIN) run --pipeline Pipelines/shandong.yaml --input SampleData --as-of $(AS_OF) --out runs
	@# A task is drawn once (exit 9 on a second draw): a second `make run` keeps the sample it drew first.
	@if [ -f samples/SD-2025-GEN-01/audit.json ]; then \
	  echo "samples/SD-2025-GEN-01 was drawn by an earlier 'make run': a task is drawn once ('make clean' starts over)"; \
	else $(BIN) sample --run runs/current; fi
	@echo
	@echo "Results:"
	@echo "  runs/current/classes.csv      class, score and reasons of every enterprise"
	@echo "  runs/current/tags.csv         every tag of every enterprise (columns described in tag_catalog.csv)"
	@echo "  runs/current/manifest.json    rows read/accepted/rejected per source, input hashes, timings"
	@echo "  runs/current/report.html      the run at a glance (open in a browser): classes by city, sources, changes"
	@echo "  runs/current/changes.json     what changed since the previous run (class moves, new listings, coverage)"
	@echo "  runs/current/rejects/         every rejected row with file, line, field and reason"
	@echo "  samples/SD-2025-GEN-01/       plan.csv (internal: enterprises and inspectors), notice.csv (to publish),"
	@echo "                                ledger.csv (internal: every enterprise's inclusion probability),"
	@echo "                                audit.json (seed, hashes, strata: 'digitag sample verify samples/SD-2025-GEN-01')"

# The web application on the SampleData run (made by `make run` if missing), with one demo user per role in
# serve-demo/users.yaml. DEMO ONLY: the passwords are printed here and written in this Makefile.
DEMO_PASSWORD := demo-only-password
serve: build
	@[ -e runs/current ] || $(MAKE) --no-print-directory run
	@mkdir -p serve-demo && rm -f serve-demo/users.yaml
	@for u in "demo.province province_analyst 37" "demo.jinan city_analyst 3701" "demo.lixia county_inspector 370102" \
	          "demo.manager inspection_manager 3701" "demo.auditor auditor 37"; do \
	  set -- $$u; printf '%s\n%s\n' '$(DEMO_PASSWORD)' '$(DEMO_PASSWORD)' | $(BIN) users add $$1 --role $$2 --region $$3 --users serve-demo/users.yaml >/dev/null || exit 1; \
	  echo "  user $$1 ($$2, region $$3)"; \
	done
	@echo "DEMO ONLY — every demo user's password is: $(DEMO_PASSWORD)"
	$(BIN) serve --runs runs --samples samples --users serve-demo/users.yaml --audit-log serve-demo/audit.log --listen 127.0.0.1:8080

# DuckDB from PyPI in .venv, for the oracle tests (Tests/OracleTests); silent when already set up.
oracle-env: deps
	@scripts/duckdb-venv.sh

# Java 17 and pyspark in .venv, for the Spark test (scripts/spark-test.py) and spark/digitag_tags.py; each installed
# only if missing (pyspark is ~434 MB, about a minute). Not needed to run digitag on one machine.
SPARK_JAVA := openjdk-17-jre-headless
PYSPARK_VERSION := 4.0.1
spark-env: oracle-env
	@command -v java >/dev/null || { \
	  echo "installing (for the Spark test): $(SPARK_JAVA)"; \
	  $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(SPARK_JAVA); }
	@.venv/bin/python -c 'import pyspark' 2>/dev/null || { \
	  echo "installing pyspark==$(PYSPARK_VERSION) into .venv (for the Spark test)"; \
	  .venv/bin/python -m pip install --quiet --disable-pip-version-check "pyspark==$(PYSPARK_VERSION)"; }

# The catalog on Spark local[2] (scripts/spark-test.py): `digitag run --tags-from` Spark's tags gives the native run's
# classes, tags, store and sample byte for byte. Not in `make test` yet: ~3 minutes on 2 cores, over the suite's budget.
test-spark: spark-env
	@[ -x $(DOCS_BIN) ] || $(SWIFT) build --product digitag
	.venv/bin/python scripts/spark-test.py --bin $(DOCS_BIN) --scratch .build/test-tmp/spark-test

# Headless Chromium and a Chinese font, for the test that renders report.html (Tests/EndToEndTests/ReportRenderTests);
# Debian packages, installed only if missing. Not needed to run digitag: the report opens in any browser.
REPORT_PACKAGES := chromium fonts-wqy-microhei
report-env:
	@missing=""; for p in $(REPORT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing (for the report rendering test):$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# The real-browser test of digitag serve (scripts/browser-test.py): Chromium as above, its WebDriver, and Selenium
# from PyPI in .venv; each installed only if missing.
browser-env: report-env oracle-env
	@dpkg -s chromium-driver >/dev/null 2>&1 || { \
	  echo "installing (for the browser test): chromium-driver"; \
	  $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium-driver; }
	@.venv/bin/python -c 'import selenium' 2>/dev/null || { \
	  echo "installing selenium into .venv (for the browser test)"; \
	  .venv/bin/python -m pip install --quiet --disable-pip-version-check "selenium==4.51.0"; }

# Every command example of README.md and docs/*.md, run against the binary the tests use (scripts/doc-examples.py):
# the debug build that `make test` makes anyway, so CI builds once. DOCS_BIN=.build/release/digitag for the release one.
DOCS_BIN ?= .build/debug/digitag
docs-test: deps
	@[ -x $(DOCS_BIN) ] || $(SWIFT) build --product digitag
	python3 scripts/doc-examples.py --bin $(DOCS_BIN)

test: deps
	@# The installs for the oracle, report and browser tests (network, disk) run while the build compiles (CPU):
	@# on a fresh 2-core machine that takes their minute or two off the suite's time. Their log follows the build's.
	@mkdir -p .build
	@$(MAKE) --no-print-directory oracle-env report-env browser-env > .build/test-env.log 2>&1 & installs=$$!; \
	  $(SWIFT) build --build-tests; built=$$?; \
	  wait $$installs; installed=$$?; cat .build/test-env.log; \
	  [ $$built = 0 ] && [ $$installed = 0 ]
	$(MAKE) --no-print-directory docs-test
	@# Tests write their scratch files under TMPDIR: one folder, emptied before each run.
	rm -rf .build/test-tmp && mkdir -p .build/test-tmp
	TMPDIR=$(CURDIR)/.build/test-tmp $(SWIFT) test --skip-build
	@# Three fixed seeds of the hostile-delivery fuzzer (make fuzz runs ~2 minutes of them).
	python3 scripts/fuzz.py --bin $(DOCS_BIN) --quick
	@# digitag serve in headless Chromium: sign-in, search, profile, segment, CSV, refusals (screenshots kept there).
	.venv/bin/python scripts/browser-test.py --bin $(DOCS_BIN) --scratch .build/test-tmp/browser-test
	@# The nginx config, when nginx is installed (installing it costs ~30 s: 'make test-deploy' does).
	python3 scripts/deploy-test.py --bin $(DOCS_BIN) --scratch .build/test-tmp/deploy-test

# Pipelines/deploy/nginx.conf: nginx -t, then HTTPS through it to digitag serve --behind-proxy (installs nginx if missing).
test-deploy: deps
	@dpkg -s nginx >/dev/null 2>&1 || { \
	  echo "installing (for the deploy test): nginx"; \
	  $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx; }
	@[ -x $(DOCS_BIN) ] || $(SWIFT) build --product digitag
	python3 scripts/deploy-test.py --bin $(DOCS_BIN) --require-nginx

# Mutates SampleData (stray quotes, CR/LF, NUL, GB18030, truncation, duplicates) and runs the binary on each:
# every run must end with exit 0, 3 or 4, and after exit 0 every physical line must be read (scripts/fuzz.py).
# FUZZ_SEEDS and FUZZ_SECONDS bound it; FUZZ_BIN=.build/release/digitag for the faster binary.
FUZZ_BIN ?= .build/debug/digitag
FUZZ_SEEDS ?= 200
FUZZ_SECONDS ?= 120
fuzz: deps
	@[ -x $(FUZZ_BIN) ] || $(SWIFT) build --product digitag
	python3 scripts/fuzz.py --bin $(FUZZ_BIN) --seeds $(FUZZ_SEEDS) --time-limit $(FUZZ_SECONDS)

# Generates 1M and 3M enterprises once (cached in .bench/), then times digitag run, libcsv alone and
# DuckDB on the same files and checks DuckDB's tags equal the run's. BENCH_SIZES="100000" for a quick look.
bench: build oracle-env
	@[ -x /usr/bin/time ] || { $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time; }
	scripts/bench.sh

# wrk against digitag serve on a 1M-enterprise store (generated once into .bench/, as make bench does): profile pages
# and a 3-condition count at 64 connections, RSS sampled every 30 s for LOAD_SECONDS (600). Not part of make test.
load: build
	@command -v wrk >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
	scripts/load.sh

lint: deps
	$(SWIFT) build --product digitag
	.build/debug/digitag tags lint --pipeline Pipelines/shandong.yaml

sample-data: build
	$(BIN) generate --enterprises 2000 --seed 20241231 --as-of 2024-12-31 --out SampleData

clean:
	rm -rf .build runs samples serve-demo
