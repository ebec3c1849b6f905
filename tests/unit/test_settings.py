"""Settings: declared once, read from the environment, documented from the declarations."""
from pathlib import Path

import pytest

from motcua_shared import settings

ROOT = Path(__file__).resolve().parents[2]


def test_defaults_and_overrides():
    s = settings.load("intake", environ={"INTAKE_PORT": "9001", "CONSUMER_RETRY_DELAYS": "0.5, 2"})
    assert s.port == 9001 and s.consumer_retry_delays == (0.5, 2.0)
    assert s.database_url.startswith("sqlite:///") and s.database_url.endswith("/var/intake.db")
    assert s.amqp == "amqp://guest:guest@127.0.0.1:5672/%2F"
    assert settings.load("intake", environ={"INTAKE_AMQP_URL": "amqp://a:b@h/v"}).amqp == "amqp://a:b@h/v"


def test_a_malformed_value_stops_the_process_with_a_clear_line():
    with pytest.raises(SystemExit, match="INTAKE_PORT"):
        settings.load("intake", environ={"INTAKE_PORT": "eighty"})


def test_the_committed_reference_matches_the_declarations():
    generated = settings.reference_markdown(settings._service_extras()) + "\n"
    committed = (ROOT / "docs" / "configuration.md").read_text()
    assert committed == generated, "run `make docs` and commit docs/configuration.md"
