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

.PHONY: run test lint format migrations-check messages install vnu

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

test: $(INSTALLED) $(MO) vnu
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

# Without npm or the network the HTML-validity tests skip with a reason instead of failing the build.
vnu: $(VNU_JAR)

$(VNU_JAR):
	@mkdir -p var/vnu/tmp
	@if command -v npm >/dev/null 2>&1 && (cd var/vnu/tmp && npm pack --silent vnu-jar@$(VNU_VERSION) >/dev/null 2>&1); then \
		tar xzf var/vnu/tmp/vnu-jar-$(VNU_VERSION).tgz -C var/vnu/tmp && mv var/vnu/tmp/package/build/dist/vnu.jar $@ \
		&& cp var/vnu/tmp/package/LICENSE var/vnu/LICENSE; \
	else echo "vnu.jar not fetched (npm or network unavailable): HTML-validity tests will skip"; fi
	@rm -rf var/vnu/tmp
