# motcua — one command to run it, one to test it (contracts.md §1).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SERVICES := intake routing notification postal reporting
PACKAGES := $(SERVICES) console
STAMP := $(VENV)/.installed

.PHONY: run test fuzz test-fast test-browser screenshots token demo import bench load faults docs calendar-check audit clean help

help:
	@echo "make run     start all five services (API + worker each) and the console in the foreground"
	@echo "make test    install and run the whole test suite"
	@echo "make demo    start the system and drive a district's day through it; prints the Biểu 06 summary"
	@echo "make token ROLE=receptionist UNIT=04222   print a development token"
	@echo "make import FILE=ho-so.csv   bring past dossiers in from a CSV, XLSX or JSON-lines file (IMPORT_ARGS=--check: check only)"
	@echo "make bench   run the benchmarks under benchmarks/"
	@echo "make load    the whole-pipeline load test (LOAD_ARGS='--dossiers 400 --api gunicorn')"
	@echo "make faults  the fault suite: each fault under load, on private broker and database servers"
	@echo "make test-browser   the console's journeys in headless Chromium (also part of make test)"
	@echo "make screenshots    regenerate docs/screenshots/ (the console's main pages) on a live system"
	@echo "make calendar-check DIR=path   check yearly calendar files (YYYY.csv) before installing them (no DIR: the shipped files and MOTCUA_CALENDAR_DIR)"
	@echo "make docs    regenerate docs/configuration.md, docs/events (AsyncAPI, JSON Schemas), docs/openapi, broker definitions"
	@echo "make fuzz    the fuzzers with ten times the examples of make test (long)"
	@echo "make audit   pip-audit over requirements.lock (known vulnerabilities fail it; no network only says so)"

$(STAMP): requirements.lock shared/pyproject.toml $(foreach s,$(PACKAGES),services/$(s)/pyproject.toml)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e shared $(foreach s,$(PACKAGES),-e services/$(s))
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m motcua_shared.devstack

demo: $(STAMP)
	$(BIN)/python demo/district_day.py $(DEMO_ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The fuzzers with ten times the examples `make test` gives them (CI keeps the short version).
fuzz: $(STAMP)
	MOTCUA_FUZZ_EXAMPLES=250 MOTCUA_FUZZ_FIELD_EXAMPLES=10000 $(BIN)/python -m pytest tests/fuzz $(PYTEST_ARGS)

test-browser: $(STAMP)
	$(BIN)/python -m pytest tests/browser $(PYTEST_ARGS)

screenshots: $(STAMP)
	$(BIN)/python scripts/console_screenshots.py

token: $(STAMP)
	@$(BIN)/python -m motcua_shared.web.auth --role "$(ROLE)" --unit "$(UNIT)"

# The same settings as `make run` (INTAKE_DATABASE_URL, or SQLite under var/), so the running services
# see what is imported; migrating first makes it work on a fresh checkout too (a no-op when up to date).
import: $(STAMP)
	@test -n "$(FILE)" || { echo "usage: make import FILE=path/to/file [IMPORT_ARGS='--check --by NAME']"; exit 2; }
	@LOG_LEVEL=WARNING $(BIN)/python -m motcua_intake migrate
	$(BIN)/python -m motcua_intake import "$(FILE)" $(IMPORT_ARGS)

bench: $(STAMP)
	for b in benchmarks/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

load: $(STAMP)
	$(BIN)/python loadtest/pipeline_load.py $(LOAD_ARGS)

faults: $(STAMP)
	$(BIN)/python loadtest/fault_suite.py $(FAULT_ARGS)

# The same check a service makes at start: a file that fails here would stop it (docs/calendar.md).
calendar-check: $(STAMP)
	$(BIN)/python -m motcua_shared.workcal check $(or $(DIR),$(MOTCUA_CALENDAR_DIR))

docs: $(STAMP)
	$(BIN)/python -m motcua_shared.settings > docs/configuration.md
	$(BIN)/python -m motcua_shared.broker.definitions > deploy/rabbitmq/definitions.json
	$(BIN)/python -m motcua_shared.events.documents docs/events
	for s in $(SERVICES); do $(BIN)/python -m motcua_$$s openapi > docs/openapi/$$s.json; done

# Known vulnerabilities in the pinned dependencies (scripts/audit.py: an unreachable service is reported,
# never a failure).
audit: $(STAMP)
	$(BIN)/python scripts/audit.py $(AUDIT_ARGS)

clean:
	rm -rf $(VENV) var
