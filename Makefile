# Kinerja — everything starts from a clean clone with only python3 and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt 2>/dev/null | $(PYTHON) -c "import hashlib,sys;print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest()[:12])")
DATA   := data
PREFECT_PORT ?= $(or $(KINERJA_PREFECT_PORT),4200)
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export GX_ANALYTICS_ENABLED := false

# The persistent local Prefect server keeps its database in the project's data folder.
demo serve bench screenshots server-up server-down ui: export PREFECT_HOME := $(CURDIR)/$(DATA)/prefect

.DEFAULT_GOAL := help
.PHONY: help install demo test test-fast lint docs screenshots serve ui server-up server-down bench clean

help: ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP) ## Create .venv and install Kinerja with pinned dependencies

demo: $(STAMP) server-up ## Generate the three demo regions and run the whole cycle (SQLite + local Prefect)
	PREFECT_API_URL=http://127.0.0.1:$(PREFECT_PORT)/api $(BIN)/kinerja demo

# Test files spread over TEST_WORKERS processes (pytest-xdist), each file whole in one of them (its
# module fixtures, e.g. a demo cycle, are built once); every worker has its own Prefect test harness.
# Two on two cores (measured on a slow 2-core VM: two 25.4 min, three 27.1 min). The slowest tests are
# listed at the end.
TEST_WORKERS ?= 2

test: $(STAMP) ## Run the test suite (SQLite, and PostgreSQL when KINERJA_TEST_POSTGRES_URL is set)
	$(BIN)/python -m pytest -q -p no:cacheprovider -n $(TEST_WORKERS) --dist loadfile --durations=25

test-fast: $(STAMP) ## The test suite without the tests marked slow (whole-cycle flows, browser, Dask)
	$(BIN)/python -m pytest -q -p no:cacheprovider -n $(TEST_WORKERS) --dist loadfile -m "not slow"

lint: $(STAMP) ## ruff, and the layer contracts of pyproject.toml (import-linter)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

docs: $(STAMP) ## Generate docs/ (the input contract) from the rule catalogue
	$(BIN)/python -m contract.docs

screenshots: $(STAMP) server-up ## After `make demo`: the README's screenshots (index.html, Prefect UI) → docs/img/
	PREFECT_API_URL=http://127.0.0.1:$(PREFECT_PORT)/api $(BIN)/python docs/screenshots.py

serve: $(STAMP) server-up ## Serve the deployments of prefect.yaml (schedules fire; trigger runs from the UI)
	PREFECT_API_URL=http://127.0.0.1:$(PREFECT_PORT)/api $(BIN)/python -m kinerja.serve

# Variants (environment variables, passed through as they are): BENCH_DB unset or `sqlite` = a fresh SQLite
# file per size; `postgresql+psycopg://user@host:port/db` = a fresh database kinerja_bench_<n> on that server
# per size (dropped and created again). BENCH_EXECUTOR `lokal` (default) or `dask` = one local two-worker
# cluster for the whole cycle, the workers' peak RSS per stage reported. Each variant is saved apart
# (BENCH_DIR/<n>/hasil-<db>-<executor>.json) and compared byte for byte with the sqlite/lokal run of the same
# size (run that first); `.venv/bin/python bench/run.py --laporan` rebuilds the table from every saved result.
#   BENCH_SIZES=10000 BENCH_DB=postgresql+psycopg://postgres@127.0.0.1:5432/postgres BENCH_EXECUTOR=dask make bench
bench: $(STAMP) server-up ## Benchmark the cycle at BENCH_SIZES employees (default "10000 100000"; variants: BENCH_DB, BENCH_EXECUTOR) → bench/RESULTS.md
	PREFECT_API_URL=http://127.0.0.1:$(PREFECT_PORT)/api BENCH_SIZES="$(or $(BENCH_SIZES),10000 100000)" $(BIN)/python bench/run.py

server-up: $(STAMP) ## Start the persistent local Prefect server (database under data/prefect) if not running
	@$(BIN)/python -m kinerja.prefect_server start --port $(PREFECT_PORT)

server-down: ## Stop the local Prefect server started by server-up
	@$(BIN)/python -m kinerja.prefect_server stop

ui: server-up ## Open the Prefect UI (run history), http://127.0.0.1:4200 by default
	@echo "Prefect UI: http://127.0.0.1:$(PREFECT_PORT)"
	@$(PYTHON) -m webbrowser http://127.0.0.1:$(PREFECT_PORT) >/dev/null 2>&1 || true

clean: ## Remove the venv, data and caches
	rm -rf $(VENV) $(DATA) .pytest_cache .ruff_cache build *.egg-info
