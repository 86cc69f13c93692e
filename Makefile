# Two commands for a newcomer: `make demo` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Development defaults: debug on and an SQLite file unless DATABASE_URL says otherwise.
export DJANGO_DEBUG ?= 1
# The site's one address, which pages, feeds and the PDF print: where `make demo` and
# `make serve` answer.
export SITE_URL ?= http://$(HOST):$(PORT)
# Nothing in front of gunicorn here, so Django serves the uploaded media itself.
PROD_ENV = DJANGO_DEBUG=0 DJANGO_HTTPS=0 SERVE_MEDIA=1 ALLOWED_HOSTS=$(HOST),localhost SECRET_KEY="$${SECRET_KEY:-$$(cat .secret_key)}"

.PHONY: install install-test demo serve bench test lint format messages lock clean

# Serving needs only the runtime set; tests, lint and benchmarks add theirs on top.
$(BIN)/.installed: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	touch $@

$(BIN)/.installed-test: requirements-test.lock $(BIN)/.installed
	$(BIN)/pip install --quiet -r requirements-test.lock
	touch $@

install: $(BIN)/.installed

install-test: $(BIN)/.installed-test

demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py setup_demo --host $(HOST) --port $(PORT)
	$(PY) manage.py runserver $(HOST):$(PORT)

# Production-style serving: DEBUG off, collected static files behind WhiteNoise, gunicorn.
# Plain HTTP on 127.0.0.1, so HTTPS-only cookies and redirects are off (DJANGO_HTTPS=0).
# A random SECRET_KEY is kept in .secret_key (never committed) unless SECRET_KEY is set.
serve: install
	@test -n "$$SECRET_KEY" || test -f .secret_key || $(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > .secret_key
	$(PROD_ENV) $(PY) manage.py migrate --noinput
	$(PROD_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	@echo "Serving on http://$(HOST):$(PORT)/ (run 'make demo' once first for the 2023 review)"
	$(PROD_ENV) BIND=$(HOST):$(PORT) $(BIN)/gunicorn xinjing.wsgi --config deploy/gunicorn.conf.py

# Measures the production setup under load; writes bench/results.md. Needs wrk and nginx.
bench: install-test
	$(PY) bench/run.py

# One test process per core (pytest-xdist), each taking whole modules, so that what a module
# sets up once (Chromium, a server, scale data) is set up once; the modules marked long go first
# (tests/conftest.py). Coverage data and bytecode go outside the work tree: a test run leaves no
# file behind.
test: install-test
	@data=$$(mktemp); PYTHONDONTWRITEBYTECODE=1 COVERAGE_FILE=$$data \
		$(PY) -m pytest --numprocesses auto --dist loadfile --no-loadscope-reorder --cov --cov-report=term; \
		status=$$?; rm -f $$data*; exit $$status

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install-test
	$(PY) manage.py makemessages --locale zh_Hans --ignore "$(VENV)/*" --ignore "fixtures/*" --ignore "bench/*" --no-obsolete
	$(PY) manage.py compilemessages --locale zh_Hans --ignore "$(VENV)/*"

# Regenerates the exact dependency sets from pyproject.toml (needs network access to PyPI); the
# test set is constrained to the runtime one, so both install the same versions.
lock: install
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra test --python-version 3.11 \
		-c requirements.lock -o requirements-test.lock

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest_cache
