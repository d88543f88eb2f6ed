# tributary: the two set-up commands of the README, and a few more.
#
#   make demo    install dependencies, build release, run the embedded demo
#   make test    install dependencies, build, run every test (release, then ASan/UBSan)
#   make bench   build, then TPC-H Q1, Q6 and a point lookup against DuckDB on CSV, on
#                DuckDB-written Parquet, on tributary-written Parquet (with both engines' write
#                times) and on CSV and Parquet read from s3rver (SF=1 by default: make bench SF=0.1)
#   make bench-relational   build, then 1M-row MariaDB/PostgreSQL scans, pushdown and mysql_fdw
#                (starts its own MariaDB and PostgreSQL; not part of `make test`)
#   make bench-dynamodb   build, then 100,000 DynamoDB items in dynalite: full scan vs a plain
#                parallel Scan client, key lookup latency (starts its own dynalite)
#   make bench-service    build, then the Athena service's overhead: a 1-row query from
#                StartQueryExecution to SUCCEEDED, p50/p99 and 8-client throughput
#   make deps | build | clean
#
# Variables: SKIP_ASAN=1 skips the ASan/UBSan stage of `make test`; TEST_SERVICES names the
# real services (scripts/services.sh) started around the tests (MariaDB and PostgreSQL for the
# relational connector tests, dynalite for the DynamoDB ones, s3rver for the Athena service
# results; TEST_SERVICES= runs without them,
# and those tests then fail).
# The services get a fresh state directory of their own per run, so servers someone else
# started (another TRIBUTARY_SERVICES_DIR) are never touched.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
# Targets run one after another in the order given (deps before build before ctest).
.NOTPARALLEL:

JOBS ?= 2
SF ?= 1
SKIP_ASAN ?= 0
TEST_SERVICES ?= mariadb postgres dynalite s3rver

# Sanitizer runs fail on the first report, UBSan included (it only warns by default).
SANITIZER_ENV := ASAN_OPTIONS=detect_leaks=1 \
                 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

.PHONY: all deps build demo test test-release test-asan bench bench-relational bench-dynamodb bench-service clean

all: build

deps:
	scripts/install-deps.sh

build:
	cmake --preset release
	cmake --build --preset release -j $(JOBS)

demo: deps build
	./build/release/tributary demo
	scripts/demo-service.sh ./build/release/tributary

# Services (if any) are stopped on every exit; the last thing printed is ctest's summary.
test: deps build
	@if [ "$(SKIP_ASAN)" = 1 ]; then echo "test: ASan/UBSan stage skipped (SKIP_ASAN=1)"; fi
	@if [ -n "$(TEST_SERVICES)" ]; then \
	  export TRIBUTARY_SERVICES_DIR="$${TMPDIR:-/tmp}/tributary-test-services.$$$$"; \
	  trap 'scripts/services.sh stop >/dev/null 2>&1' EXIT; \
	  trap 'exit 130' INT TERM; \
	  scripts/services.sh start $(TEST_SERVICES); \
	  eval "$$(scripts/services.sh env)"; \
	  $(MAKE) --no-print-directory test-release test-asan; \
	else \
	  $(MAKE) --no-print-directory test-release test-asan; \
	fi

test-release:
	ctest --preset release -j $(JOBS) --output-on-failure

# One ASan/UBSan build (Debug) of the whole tree, then the unit tests and sqllogictests on it.
test-asan:
ifeq ($(SKIP_ASAN),1)
	@true
else
	cmake --preset asan
	cmake --build --preset asan -j $(JOBS)
	$(SANITIZER_ENV) ctest --preset asan -j $(JOBS) --output-on-failure
endif

bench: deps build
	bench/run.sh $(SF)
	FORMAT=parquet bench/run.sh $(SF)
	FORMAT=tparquet bench/run.sh $(SF)
	@export TRIBUTARY_SERVICES_DIR="$${TMPDIR:-/tmp}/tributary-bench-services.$$$$"; \
	trap 'scripts/services.sh stop >/dev/null 2>&1' EXIT; \
	trap 'exit 130' INT TERM; \
	scripts/services.sh start s3rver; \
	eval "$$(scripts/services.sh env)"; \
	FORMAT=s3csv bench/run.sh $(SF) && FORMAT=s3parquet bench/run.sh $(SF)

# Services are started in a state directory of their own and stopped on every exit.
bench-relational: build
	@export TRIBUTARY_SERVICES_DIR="$${TMPDIR:-/tmp}/tributary-bench-services.$$$$"; \
	trap 'scripts/services.sh stop >/dev/null 2>&1' EXIT; \
	trap 'exit 130' INT TERM; \
	scripts/services.sh start mariadb postgres; \
	eval "$$(scripts/services.sh env)"; \
	bench/relational.sh ./build/release/tributary

bench-dynamodb: build
	@export TRIBUTARY_SERVICES_DIR="$${TMPDIR:-/tmp}/tributary-bench-services.$$$$"; \
	trap 'scripts/services.sh stop >/dev/null 2>&1' EXIT; \
	trap 'exit 130' INT TERM; \
	scripts/services.sh start dynalite; \
	eval "$$(scripts/services.sh env)"; \
	bench/dynamodb.sh ./build/release/tributary

clean:
	rm -rf build bench/data

bench-service: build
	python3 bench/athena_service.py ./build/release/tributary 200
