# The two set-up commands of the README: `make run` and `make test`. Nothing else is needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_SCALE ?= medium

.PHONY: run test install constraints system-packages lint format migrate demo worker bench messages vendor clean

# constraints.txt pins the indirect dependencies too (`make constraints` refreshes it), so every fresh
# machine installs the same versions CI tested.
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Rewrites constraints.txt from a clean install of pyproject.toml's pins (dev and bench extras).
constraints:
	rm -rf .venv-constraints && $(PYTHON) -m venv .venv-constraints
	.venv-constraints/bin/python -m pip install --quiet --upgrade pip
	.venv-constraints/bin/python -m pip install --quiet -e '.[dev,bench]'
	( echo "# Every installed package at its tested version (make constraints); pyproject.toml says why each"; \
	  echo "# direct dependency is there."; \
	  .venv-constraints/bin/python -m pip freeze --exclude-editable --all | grep -v '^pip==' ) > constraints.txt
	rm -rf .venv-constraints

# Debian packages the suite drives (chromium, LibreOffice, poppler): installed when missing and possible,
# otherwise one line saying how. Browser and document tests are never skipped.
system-packages:
	@tools/system-packages

# Installs, migrates, loads the demo province when the database is empty, serves on 127.0.0.1:8000 with
# the production server (`congvu serve`: gunicorn, one worker process per core) and the background worker
# (`congvu db_worker`, for large imports) beside it; Ctrl-C stops both.
# Production settings (DEBUG off: Vietnamese error pages, whitenoise static) with demo accounts, plain HTTP.
run: export CONGVU_DEMO = 1
run: $(STAMP)
	$(BIN)/congvu migrate --no-input
	$(BIN)/congvu createcachetable
	$(BIN)/congvu demo --if-empty --scale $(DEMO_SCALE)
	$(BIN)/congvu demo_accounts
	$(BIN)/congvu serve --host $(HOST) --port $(PORT) --with-worker

# Installs, then lint, migrations check, system check and the whole suite (browser tests included).
# The two Django checks load the whole project each (~3 s of CPU): side by side on the two cores. The
# suite is one parallel run: transactional and browser tests beside the others (congvu/conftest.py puts
# the seeded rows back after each), slow files handed out first (--no-loadscope-reorder keeps the order
# the collection hook gives).
test: $(STAMP) system-packages
	$(BIN)/ruff check congvu benchmarks
	$(BIN)/ruff format --check congvu benchmarks
	$(BIN)/lint-imports
	$(BIN)/congvu makemigrations --check --dry-run & migrations=$$!; $(BIN)/congvu check && wait $$migrations
	$(BIN)/pytest -n 2 --dist loadfile --no-loadscope-reorder -q --durations=15

format: $(STAMP)
	$(BIN)/ruff check --fix congvu benchmarks
	$(BIN)/ruff format congvu benchmarks

worker: $(STAMP)
	$(BIN)/congvu db_worker

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev,bench]'
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/pages.py --scale large --clients 10,50 --servers serve,runserver

messages: $(STAMP)
	cd congvu && ../$(BIN)/congvu makemessages -l en --no-location --no-wrap -i "static/*"
	$(BIN)/python tools/fill_po.py
	cd congvu && ../$(BIN)/congvu compilemessages -l en

clean:
	rm -rf $(VENV) var
