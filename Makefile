# The two commands: `make run` and `make test`. Everything else is for maintainers.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
PO := $(wildcard locale/*/LC_MESSAGES/django.po)
MO := $(PO:.po=.mo)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format migrations-check messages install

install: $(INSTALLED)

$(INSTALLED): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

# Compiled with babel (pure Python): no system gettext needed to run the portal.
locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(INSTALLED)
	$(VENV)/bin/pybabel compile --domain django --directory locale --locale $* --statistics

run: export DEBUG ?= true
run: $(INSTALLED) $(MO)
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_seed --if-empty
	$(PY) manage.py ensure_local_admin
	$(PY) manage.py runserver $(HOST):$(PORT)

test: $(INSTALLED) $(MO)
	$(PY) manage.py makemigrations --check --dry-run --settings=association.settings_test
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(INSTALLED)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: $(INSTALLED)
	$(PY) manage.py makemigrations --check --dry-run --settings=association.settings_test

# Extract interface strings into the .po files (needs GNU gettext).
messages: $(INSTALLED)
	DEBUG=true $(PY) manage.py makemessages --no-location --no-obsolete -l ru -l en -l vi
