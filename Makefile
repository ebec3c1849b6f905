# motcua — one command to run it, one to test it (docs/contracts.md §1).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SERVICES := intake routing notification postal reporting
PACKAGES := $(SERVICES) console
STAMP := $(VENV)/.installed

.PHONY: dev-certs run test lint fuzz test-fast test-browser screenshots token demo import bench load faults docs calendar-check reference-check audit secrets clean help

help:
	@echo "make run     start all five services (API + worker each) and the console in the foreground"
	@echo "make test    install and run the whole test suite"
	@echo "make lint    ruff (ruff.toml) and mypy (mypy.ini): fails on any finding; CI runs it first"
	@echo "make demo    start the system and drive a district's day through it; prints the Biểu 06 summary"
	@echo "make token ROLE=receptionist UNIT=04222   print a development token"
	@echo "make import FILE=ho-so.csv   bring past dossiers in from a CSV, XLSX or JSON-lines file (IMPORT_ARGS=--check: check only)"
	@echo "make bench   run the benchmarks under benchmarks/"
	@echo "make load    the whole-pipeline load test (LOAD_ARGS='--dossiers 400 --api gunicorn'): CPU per dossier per process, the naive chain in the same run"
	@echo "make load-profile   the same with py-spy flame graphs and top frames of every worker and API in PROFILE_DIR (var/profile)"
	@echo "make faults  the fault suite: each fault under load, on private broker and database servers"
	@echo "make test-browser   the console's journeys in headless Chromium (also part of make test)"
	@echo "make screenshots    regenerate docs/screenshots/ (the console's main pages) on a live system"
	@echo "make calendar-check DIR=path   check yearly calendar files (YYYY.csv) before installing them (no DIR: the shipped files and MOTCUA_CALENDAR_DIR)"
	@echo "make reference-check DIR=path   check a reference data set (units, agencies, procedures, calendar/) before mounting or importing it"
	@echo "make dev-certs      a trial CA and the proxy's, broker's and partners' certificates under deploy/tls (docs/tls.md)"
	@echo "make docs    regenerate docs/configuration.md, docs/events (AsyncAPI, JSON Schemas), docs/openapi, broker definitions"
	@echo "make secrets write .env beside docker-compose.yml with fresh random secrets (FORCE=1 replaces it, keeping a dated backup)"
	@echo "make backup  a base backup of the PostgreSQL cluster and the retention; make restore BACKUP=... DATA=... [TARGET_TIME=...] (docs/backups.md)"
	@echo "make fuzz    the fuzzers with ten times the examples of make test (long)"
	@echo "make audit   pip-audit over requirements.lock and requirements-dev.lock (known vulnerabilities fail it; no network only says so)"

$(STAMP): requirements.lock requirements-dev.lock shared/pyproject.toml $(foreach s,$(PACKAGES),services/$(s)/pyproject.toml)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps -e shared $(foreach s,$(PACKAGES),-e services/$(s))
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m motcua_shared.devstack

demo: $(STAMP)
	$(BIN)/python demo/district_day.py $(DEMO_ARGS)

# Two pytest processes share the tests file by file (most of a test's time is spent waiting for the
# processes it starts); the `serial` ones, which restart the shared broker or database or reset the
# broker users' passwords, run alone afterwards. TEST_WORKERS=0 runs everything in one process.
# Exit status 5 is "no test selected" (PYTEST_ARGS=tests/unit holds no serial test).
TEST_WORKERS ?= 2
test: $(STAMP)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile -m "not serial" $(PYTEST_ARGS)
	$(BIN)/python -m pytest -m serial $(PYTEST_ARGS) || [ $$? -eq 5 ]

# ruff over every Python file, then mypy over the shared library and the services (their baseline and
# the stricter rules for shared/ are in mypy.ini). Either one's finding fails it; both run so one pass
# shows all of them. mypy's cache lives in var/mypy-cache.
lint: $(STAMP)
	@status=0; \
	$(BIN)/ruff check . || status=1; \
	$(BIN)/mypy --config-file mypy.ini || status=1; \
	exit $$status

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

# The load with the APIs under gunicorn and py-spy flame graphs of every worker and API (loadtest/README.md).
.PHONY: load-profile
PROFILE_DIR ?= var/profile
load-profile: $(STAMP)
	$(BIN)/python loadtest/pipeline_load.py --api gunicorn --profile $(PROFILE_DIR) $(LOAD_ARGS)

faults: $(STAMP)
	$(BIN)/python loadtest/fault_suite.py $(FAULT_ARGS)

# The same check a service makes at start: a file that fails here would stop it (docs/calendar.md).
calendar-check: $(STAMP)
	$(BIN)/python -m motcua_shared.workcal check $(or $(DIR),$(MOTCUA_CALENDAR_DIR))

# The same check a service makes at start and intake makes on import (docs/reference-data.md).
reference-check: $(STAMP)
	$(BIN)/python -m motcua_shared.reference check $(or $(DIR),$(MOTCUA_REFERENCE_DIR))

docs: $(STAMP)
	$(BIN)/python -m motcua_shared.settings > docs/configuration.md
	$(BIN)/python -m motcua_shared.broker.definitions > deploy/rabbitmq/definitions.json
	$(BIN)/python -m motcua_shared.proxy_map > deploy/proxy/Caddyfile
	$(BIN)/python -m motcua_shared.events.documents docs/events
	for s in $(SERVICES); do $(BIN)/python -m motcua_$$s openapi > docs/openapi/$$s.json; done
	$(BIN)/python -m motcua_shared.published > shared/motcua_shared/published_values.json

# A trial CA with the proxy's, the broker's and the partners' certificates under deploy/tls (docs/tls.md);
# CERT_ARGS='--host motcua.example.gov.vn --force'. A province installs its own instead.
dev-certs: $(STAMP)
	$(BIN)/python scripts/dev_certs.py $(CERT_ARGS)

# Known vulnerabilities in the pinned dependencies, production and development locks (scripts/audit.py: an unreachable service is reported,
# never a failure).
audit: $(STAMP)
	$(BIN)/python scripts/audit.py $(AUDIT_ARGS)

# Standard library only: runs on a fresh server before anything is installed (scripts/make_secrets.py).
secrets:
	$(PYTHON) scripts/make_secrets.py $(if $(FORCE),--force)

# Point-in-time recovery (docs/backups.md): a base backup of the PostgreSQL cluster (PGHOST, PGPORT, PGUSER),
# then the retention (BACKUP_KEEP newest, default 7, and the WAL they need); a restore into a FRESH data
# directory (BACKUP=dir DATA=dir [TARGET_TIME='2026-12-07 08:00:00+07']); the long restore test.
.PHONY: backup restore restore-test
BACKUP_DIR ?= var/backups
ARCHIVE_DIR ?= var/pg-archive
backup:
	scripts/backup/base-backup.sh "$(BACKUP_DIR)"
	scripts/backup/prune.sh "$(BACKUP_DIR)" "$(ARCHIVE_DIR)" $(BACKUP_KEEP)

restore:
	@test -n "$(BACKUP)" -a -n "$(DATA)" || { echo "usage: make restore BACKUP=var/backups/<stamp> DATA=<new data dir> [TARGET_TIME='...']"; exit 2; }
	scripts/backup/restore.sh "$(BACKUP)" "$(DATA)" --archive "$(ARCHIVE_DIR)" $(if $(TARGET_TIME),--target-time "$(TARGET_TIME)")

restore-test: $(STAMP)
	MOTCUA_RESTORE_TEST_LONG=1 $(BIN)/python -m pytest tests/integration/test_backup_restore.py $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var
