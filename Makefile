# The two commands: `make run` and `make test`. Everything else is for maintainers.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
PO := $(wildcard locale/*/LC_MESSAGES/django.po)
MO := $(PO:.po=.mo)
# The Nu Html Checker (vnu.jar, ~32 MB) is too big to keep in git: fetched from npm into var/.
VNU_VERSION := 26.9.27
VNU_JAR := var/vnu/vnu.jar
HOST ?= 127.0.0.1
PORT ?= 8000


LOCAL_ENV := .env

install: $(INSTALLED)

# Exactly the versions (and hashes) in the lock file: a fresh machine installs what was
# tested, never the day's newest release. pyproject.toml keeps the allowed ranges.
$(INSTALLED): requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements-dev.txt
	touch $@

# Re-resolve the lock files after a change of pyproject.toml, keeping every pin that still fits.
UV_COMPILE = $(VENV)/bin/uv pip compile pyproject.toml --quiet --generate-hashes --universal --python-version 3.11
lock: $(INSTALLED)
	$(UV_COMPILE) --output-file requirements.txt
	$(UV_COMPILE) --extra dev --output-file requirements-dev.txt

# A deliberate upgrade: the newest versions pyproject.toml allows (all, or PACKAGE=name).
# Review the diff of the lock files and run the whole suite before committing it.
upgrade: $(INSTALLED)
	$(UV_COMPILE) $(if $(PACKAGE),--upgrade-package $(PACKAGE),--upgrade) --output-file requirements.txt
	$(UV_COMPILE) --extra dev $(if $(PACKAGE),--upgrade-package $(PACKAGE),--upgrade) --output-file requirements-dev.txt

# The local environment every manage.py command reads (git-ignored, written once):
# development mode, a generated secret key, the embedded PostgreSQL.
$(LOCAL_ENV): | $(INSTALLED)
	$(PY) -m association.local_env $@

# Compiled with babel (pure Python): no system gettext needed to run the portal.
locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(INSTALLED)
	$(VENV)/bin/pybabel compile --domain django --directory locale --locale $* --statistics

# Links in e-mails point at this server; without EMAIL_URL the mails are printed here.
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: $(INSTALLED) $(MO) $(LOCAL_ENV)
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_seed --if-empty
	$(PY) manage.py ensure_local_admin
	$(PY) manage.py runserver $(HOST):$(PORT)

test: $(INSTALLED) $(MO) vnu
	$(PY) manage.py makemigrations --check --dry-run --settings=association.settings_test
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# Style (ruff), the layers of DESIGN.md (import-linter, contracts in pyproject.toml), templates (djhtml).
lint: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/djhtml --check $$(git ls-files 'templates/*.html')

format: $(INSTALLED)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(VENV)/bin/djhtml $$(git ls-files 'templates/*.html')

migrations-check: $(INSTALLED)
	$(PY) manage.py makemigrations --check --dry-run --settings=association.settings_test

# Extract interface strings into the .po files (needs GNU gettext).
messages: $(INSTALLED)
	DEBUG=true $(PY) manage.py makemessages --no-location --no-obsolete -l ru -l en -l vi

# Operations (docs/OPERATIONS.md). Without DATABASE_URL they act on the embedded PostgreSQL.
# make backup [BACKUP_DIR=…] [BACKUP_KEEP=…]: an archive in var/backups by default (0600, folder 0700).
backup: export DEBUG ?= $(if $(DATABASE_URL),false,true)
backup: $(INSTALLED)
	$(PY) manage.py backup $(if $(BACKUP_DIR),--output-dir "$(BACKUP_DIR)")

restore: export DEBUG ?= $(if $(DATABASE_URL),false,true)
restore: $(INSTALLED)
	@test -n "$(FILE)" || { echo "usage: make restore FILE=var/backups/spbaic-….tar.gz [DATABASE_URL=…]"; exit 2; }
	$(PY) manage.py restore $(FILE)

# Known vulnerabilities in the installed dependencies (pip-audit; a network failure is
# a warning, a vulnerability fails) and ruff's security rules (bandit's checks).
audit: $(INSTALLED)
	$(VENV)/bin/ruff check --select S .
	$(PY) .ci/audit.py

# Production settings on this machine, over plain HTTP: hashed, compressed static
# files from whitenoise, gunicorn (gunicorn.conf.py) with THREADS threads per worker, so
# that slow clients hold a thread at most, never a worker. A throwaway secret key is
# generated when SECRET_KEY is unset; DATABASE_URL defaults to the embedded one.
# The cache must be shared by every process (docs/OPERATIONS.md):
#   make serve REDIS_URL=redis://127.0.0.1:6379/0   2 workers per core + 1, sharing Redis
#   make serve                                        one worker, its own local-memory cache
#                                                     (SINGLE_PROCESS_CACHE=true is set for it)
# WORKERS above 1 without REDIS_URL is refused (gunicorn.conf.py).
WORKERS ?= $(if $(REDIS_URL),$(shell echo $$(( $$(nproc) * 2 + 1 ))),1)
THREADS ?= 8
serve: export DEBUG = false
serve: export ALLOWED_HOSTS ?= 127.0.0.1,localhost
serve: export SECURE_SSL_REDIRECT ?= false
serve: export EMBEDDED_DB ?= true
serve: export SINGLE_PROCESS_CACHE ?= $(if $(REDIS_URL),false,true)
serve: $(INSTALLED) $(MO)
	@test -n "$$SECRET_KEY" || echo "SECRET_KEY unset: using a throwaway key for local serving."
	export SECRET_KEY="$${SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')}" && \
	$(PY) manage.py collectstatic --no-input --verbosity 0 && \
	$(PY) manage.py migrate --no-input && \
	exec $(VENV)/bin/gunicorn --config gunicorn.conf.py --bind $(HOST):$(PORT) --workers $(WORKERS) --threads $(THREADS)

# Load test of the production server at 1× and 100× data (see bench/README.md).
bench: $(INSTALLED) $(MO)
	$(PY) bench/run.py $(BENCH_ARGS)

# Lighthouse (mobile) of the main pages on the production server (see bench/README.md).
lighthouse: $(INSTALLED) $(MO)
	$(PY) bench/lighthouse.py $(LIGHTHOUSE_ARGS)
# Without npm or the network the HTML-validity tests skip with a reason instead of failing the build.
vnu: $(VNU_JAR)

$(VNU_JAR):
	@mkdir -p var/vnu/tmp
	@if command -v npm >/dev/null 2>&1 && (cd var/vnu/tmp && npm pack --silent vnu-jar@$(VNU_VERSION) >/dev/null 2>&1); then \
		tar xzf var/vnu/tmp/vnu-jar-$(VNU_VERSION).tgz -C var/vnu/tmp && mv var/vnu/tmp/package/build/dist/vnu.jar $@ \
		&& cp var/vnu/tmp/package/LICENSE var/vnu/LICENSE; \
	else echo "vnu.jar not fetched (npm or network unavailable): HTML-validity tests will skip"; fi
	@rm -rf var/vnu/tmp
