# The project's commands. `make run` and `make test` work on a fresh machine.
SHELL := /bin/bash
.DEFAULT_GOAL := help
DATA_DIR ?= data
export DATA_DIR

.PHONY: help install build run stop test typecheck clean

help:
	@echo "make run    install, start a local Redis of its own (unless REDIS_URL is set) and run the forwarder"
	@echo "make stop   stop what make run started in this checkout (the forwarder, its local Redis)"
	@echo "make test   run every test (needs redis-server, chromium, unzip, a JDK and Maven on PATH)"
	@echo "make es     one real Elasticsearch node to try things by hand (ES_VERSION=9.5.4 for another); Ctrl-C stops it"
	@echo "make es-fetch  fetch the Elasticsearch versions the tests run (ES_VERSIONS) from Maven Central"
	@echo "make build  bundle the CLI and the plugin's webapp"
	@echo "make dist   the plugin tarball to upload in System Console: dist/<id>-<version>.tar.gz"
	@echo "make bench  throughput, CPU and memory figures as JSON lines: ours, rsyslog's and Elastic's pipeline's, into real Elasticsearch nodes and the emulator"
	@echo "make bench-check  make bench, then fail unless every performance target is met"
	@echo "make parity  our transform against Elastic's own pipeline in a real Elasticsearch (PARITY_LINES, PARITY_SEED, ORACLE_ELASTICSEARCH_URL)"

# Install output goes to stderr: `make bench` keeps stdout for its JSON lines.
node_modules/.package-lock.json: package.json package-lock.json
	@npm ci --no-audit --no-fund 1>&2
	@touch $@

install: node_modules/.package-lock.json

build: install
	@npm run --silent build

# Ctrl-C stops the forwarder, then the local Redis; `make stop` does it from another terminal.
run: build
	@scripts/run.sh

stop:
	@scripts/stop.sh

typecheck: install
	npx tsc --noEmit -p tsconfig.json

test: build
	@node scripts/run-tests.mjs

# Real Elasticsearch (Elastic's integ-test zip from Maven Central, cached outside the work tree):
# es-fetch gets every version of ES_VERSIONS (default: the default version) and checks its JDK;
# es starts one node (ES_VERSION, else the first of ES_VERSIONS) and prints its URL.
.PHONY: es es-fetch
es-fetch: install
	@node --import tsx test/support/elasticsearch/cli.ts fetch

es: install
	@node --import tsx test/support/elasticsearch/cli.ts run $(if $(ES_VERSION),--version $(ES_VERSION))

# The Mattermost plugin: `webapp` bundles webapp/dist/main.js (make build does too); `dist`
# packs the tarball to upload in System Console → Plugins: dist/<id>-<version>.tar.gz.
.PHONY: webapp dist

webapp: install
	@node webapp/build.mjs

dist: build
	node webapp/package-plugin.mjs

clean:
	rm -rf dist

# Our figures, rsyslog's and Elastic's ingest pipeline's on the same records, each figure in its own
# process: JSON lines on stdout, a table on stderr (bench/run.ts; BENCH_RUNS=3 for medians,
# BENCH_FIGURES=a,b for some). Installs rsyslog if missing; fetches the Elasticsearch nodes as the tests do.
.PHONY: bench bench-check
bench: build
	@node --import tsx bench/run.ts

# make bench, then its JSON lines checked against the targets (bench/targets.ts): fails on a miss.
bench-check: build
	@set -o pipefail; node --import tsx bench/run.ts | node --import tsx bench/check-targets.ts

# Our transform against Elastic's own pipeline, user_agent and geoip processors in a real
# Elasticsearch (scripts/parity.ts): per-field agreement and the first differences; exit 1 on any.
.PHONY: parity
parity: install
	@node --import tsx scripts/parity.ts
