# Assure: the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
STAMP := $(VENV)/.installed-stamp
ASSETS := tracker/static/govuk/.stamp
NODE_MODULES := node_modules/.assure-stamp
SCSS := $(wildcard assets/scss/*.scss)
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test test-sqlite test-postgres bench install assets lint clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

assets: $(ASSETS)

# GOV.UK Frontend and the Sass compiler come from npm (package-lock.json pins both). No package
# needs an install script, so none runs.
$(NODE_MODULES): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error --ignore-scripts
	touch $(NODE_MODULES)

# We compile GOV.UK Frontend's Sass ourselves, with Arial and without the GDS Transport font
# (assets/scss/assure.scss), and serve only that stylesheet and the package's JavaScript. The
# package's assets/ folder is not copied: its fonts are GDS Transport and its images are the crown.
$(ASSETS): $(NODE_MODULES) $(SCSS)
	rm -rf tracker/static/govuk
	mkdir -p tracker/static/govuk
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js tracker/static/govuk/
	node_modules/.bin/sass --pkg-importer=node --no-source-map --style=compressed \
		assets/scss/assure.scss tracker/static/govuk/assure.css
	touch $(ASSETS)

# The web server, and beside it the scheduler (reminders, outbox delivery, daily snapshots) as a
# process of its own; Ctrl-C stops both. One shell line, so that the trap sees the scheduler: it
# sends SIGTERM and waits while the scheduler finishes its running ticks.
run: install assets
	$(FLASK) db upgrade
	$(FLASK) demo --if-empty
	$(FLASK) scheduler & scheduler=$$!; \
	trap 'kill $$scheduler 2>/dev/null; wait $$scheduler' EXIT INT TERM; \
	$(FLASK) run --host $(HOST) --port $(PORT)

# The whole suite on SQLite, then again on PostgreSQL when TEST_DATABASE_URL is set.
test: install assets test-sqlite test-postgres

test-sqlite:
	env -u TEST_DATABASE_URL $(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres:
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== the suite again on PostgreSQL ($$TEST_DATABASE_URL)"; \
		$(BIN)/python -m pytest $(PYTEST_ARGS); \
	else \
		echo "TEST_DATABASE_URL is not set: skipping the PostgreSQL run"; \
	fi

# Every script in benchmarks/ builds its own data and prints its figures beside the targets.
bench: install
	@for script in benchmarks/*.py; do \
		echo "== $$script"; \
		$(BIN)/python $$script || exit 1; \
		echo; \
	done

lint: install
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) node_modules tracker/static/govuk .pytest_cache
