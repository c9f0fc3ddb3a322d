# Bolig for velferd – tiltaksoppfølging. `make run` and `make test` are all a newcomer needs.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1:8000
DEMO ?= 1
DEMO_DATE := 2019-09-15

.PHONY: install run prod test lint audit bench screenshots format migrate seed vendor messages clean \
	oidc-provider

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

## install: create .venv and install the application with its development tools
install: $(VENV)/.installed

## migrate: bring the database schema up to date
migrate: install
	$(MANAGE) migrate --no-input

## seed: import the plans in fixtures/ and (re)create the demo users, printing their passwords
seed: migrate
	$(MANAGE) seed_demo

## run: set everything up and serve the application on http://$(HOST): the demonstration, with
##      its clock at $(DEMO_DATE), its history and its own database (demo.sqlite3, unless
##      DATABASE_URL is set); `make run DEMO=0` serves the plans as imported, on db.sqlite3.
##      The demo asks no one for a second factor unless MFA_REQUIRED_ROLES is set.
ifneq ($(DEMO),0)
run: export DEMO_TODAY := $(DEMO_DATE)
run: export DATABASE_URL ?= sqlite:///$(CURDIR)/demo.sqlite3
run: export MFA_REQUIRED_ROLES ?=
endif
run: seed
ifneq ($(DEMO),0)
	$(MANAGE) load_demo_history
	@if [ -z "$$MFA_REQUIRED_ROLES" ]; then \
	  echo "Two-factor authentication is off in the demo (MFA_REQUIRED_ROLES is empty)."; \
	  echo "To require it of coordinators and admins: MFA_REQUIRED_ROLES=coordinator,admin make run"; \
	else echo "Two-factor authentication is required of: $$MFA_REQUIRED_ROLES"; fi
endif
	$(MANAGE) runserver $(HOST)

## prod: production mode locally, as deploy/ runs it on a server: collectstatic, the release
##       step (migrate), then deploy/start (check --deploy, gunicorn) on PostgreSQL
##       ($(PROD_DATABASE), created if missing, unless DATABASE_URL is set) with a secret key
##       generated for local use only (.prod-secret-key); http://localhost:8000 (plain http, so
##       the redirect to https is off). Make a user: see README "Production".
PROD_DATABASE := postgres://postgres@127.0.0.1:5432/bolig_prod
prod: export BOLIG_ENV := production
prod: export DATABASE_URL ?= $(PROD_DATABASE)
prod: export ALLOWED_HOSTS ?= localhost,127.0.0.1
prod: export SECURE_SSL_REDIRECT ?= False
prod: export SILENCED_SYSTEM_CHECKS ?= security.W008
prod: export GUNICORN_BIND ?= 127.0.0.1:8000
prod: export STATIC_ROOT ?= $(CURDIR)/staticfiles
prod: export PYTHON := $(CURDIR)/$(BIN)/python
prod: install
	@test -s .prod-secret-key || $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > .prod-secret-key
	@if [ "$$DATABASE_URL" = "$(PROD_DATABASE)" ]; then \
	  psql "$(PROD_DATABASE)" -qc "SELECT 1" >/dev/null 2>&1 || createdb -h 127.0.0.1 -U postgres bolig_prod; fi
	SECRET_KEY="$$(cat .prod-secret-key)" deploy/collectstatic
	SECRET_KEY="$$(cat .prod-secret-key)" deploy/release
	@echo "Serving in production mode on http://localhost:8000 (Ctrl-C stops)"
	SECRET_KEY="$$(cat .prod-secret-key)" deploy/start

## oidc-provider: a local OpenID provider (tests/oidc/op.mjs, needs node and `npm ci`) on
##                http://127.0.0.1:$(OIDC_PORT) for trying single sign-on with `make run`; in
##                another terminal: OIDC_ISSUER=http://127.0.0.1:$(OIDC_PORT) OIDC_CLIENT_ID=bolig
##                OIDC_CLIENT_SECRET=bolig-lokal-hemmelighet make run (README: "Single sign-on")
OIDC_PORT ?= 9400
oidc-provider:
	node tests/oidc/op.mjs --port $(OIDC_PORT) --app http://$(HOST) --provider default

## test: run the whole test suite (on PostgreSQL when DATABASE_URL is set)
test: install
	$(BIN)/pytest

## lint: ruff check and format check
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## audit: bandit on our code (medium severity and up) and pip-audit on the installed packages
##        (scripts/audit.py: fails on a vulnerability, says NOT CHECKED when it could not check)
audit: install
	$(BIN)/bandit -q -r bolig tiltak rapportering identity --severity-level medium
	$(BIN)/python scripts/audit.py

## bench: pages, exports and load at 1x and 100x data on SQLite and PostgreSQL (bench/run.py)
bench: install
	$(BIN)/python bench/run.py

## screenshots: the README's pictures, from the demo (needs Debian's chromium and poppler-utils)
screenshots: install
	$(BIN)/python scripts/screenshots.py

## format: apply ruff's fixes and formatting
format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## messages: compile the translation catalogues
messages: install
	$(MANAGE) compilemessages --ignore=.venv

## vendor: copy the front-end files the pages serve from node_modules into static/vendor, and
##         the browser tests' rule engines (axe-core, IBM's ace.js) into tests/vendor (needs npm)
vendor:
	npm ci --no-audit --no-fund
	rm -rf static/vendor
	mkdir -p static/vendor/designsystemet static/vendor/htmx tests/vendor
	cp node_modules/@digdir/designsystemet-css/dist/src/index.css static/vendor/designsystemet/designsystemet.css
	cp node_modules/@digdir/designsystemet-theme/brand/digdir.css static/vendor/designsystemet/theme-digdir.css
	cp node_modules/@digdir/designsystemet-css/LICENSE* static/vendor/designsystemet/ 2>/dev/null || true
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/htmx.min.js
	mkdir -p static/vendor/inter/files
	cp node_modules/@fontsource/inter/LICENSE static/vendor/inter/
	for weight in 400 500 600 700; do \
	  cp node_modules/@fontsource/inter/files/inter-latin-$$weight-normal.woff2 static/vendor/inter/files/; \
	  sed -E "s/, url\([^)]*\.woff\) format\('woff'\)//" node_modules/@fontsource/inter/latin-$$weight.css; \
	done > static/vendor/inter/inter.css
	cp node_modules/axe-core/axe.min.js tests/vendor/axe.min.js
	cp node_modules/accessibility-checker-engine/ace.js tests/vendor/ace.js
	cp node_modules/accessibility-checker-engine/ace.js.LICENSE.txt tests/vendor/ace.js.LICENSE.txt

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
