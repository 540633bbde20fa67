# The project's commands. `make run` and `make test` work on a fresh machine.
SHELL := /bin/bash
.DEFAULT_GOAL := help
DATA_DIR ?= data
export DATA_DIR

.PHONY: help install build run test typecheck clean

help:
	@echo "make run    install, start a local Redis (unless REDIS_URL is set) and run the forwarder"
	@echo "make test   run every test (needs redis-server and chromium on PATH)"
	@echo "make build  bundle the CLI and the plugin's webapp"
	@echo "make dist   the plugin tarball to upload in System Console: dist/<id>-<version>.tar.gz"
	@echo "make bench  throughput and memory figures, ours and rsyslog's, as JSON lines"
	@echo "make bench-check  make bench, then fail unless every performance target is met"
	@echo "make parity  our transform against Elastic's own pipeline in a real Elasticsearch (PARITY_LINES, PARITY_SEED, ORACLE_ELASTICSEARCH_URL)"

# Install output goes to stderr: `make bench` keeps stdout for its JSON lines.
node_modules/.package-lock.json: package.json package-lock.json
	@npm ci --no-audit --no-fund 1>&2
	@touch $@

install: node_modules/.package-lock.json

build: install
	@npm run --silent build

run: build
	@if [ -z "$$REDIS_URL" ]; then scripts/local-redis.sh; fi
	dist/server/cli.js serve

typecheck: install
	npx tsc --noEmit -p tsconfig.json

test: build
	@node scripts/run-tests.mjs

# The Mattermost plugin: `webapp` bundles webapp/dist/main.js (make build does too); `dist`
# packs the tarball to upload in System Console → Plugins: dist/<id>-<version>.tar.gz.
.PHONY: webapp dist

webapp: install
	@node webapp/build.mjs

dist: build
	node webapp/package-plugin.mjs

clean:
	rm -rf dist

# Our figures and rsyslog's on the same records, each figure in its own process: JSON lines on
# stdout, a table on stderr (bench/run.ts; BENCH_RUNS=3 for medians). Installs rsyslog if missing.
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
