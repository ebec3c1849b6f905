"""The digests of every value written in the repository (motcua_shared/published_values.json): cut out
the ways values are written, and current with the files (`make docs`)."""
from __future__ import annotations

import json
import secrets
from pathlib import Path

import pytest

from motcua_shared import published

ROOT = Path(__file__).resolve().parents[2]

# Each line written as in the repository's files; the value expected out of it.
WRITTEN = [
    ("compose default", "  X: ${MOTCUA_JWT_SECRET:-compose-default-value-0123456789abcdef}",
     "compose-default-value-0123456789abcdef"),
    ("compose default quoted", '  X: "${NOTIFICATION_SECRET:-quoted-compose-default-0123456789abcd}"',
     "quoted-compose-default-0123456789abcd"),
    ("broker url password", "amqp://motcua-intake:broker-password-in-a-url-0123456789ab@rabbitmq:5672/motcua",
     "broker-password-in-a-url-0123456789ab"),
    ("database url password", "postgresql+psycopg://intake:db-password-in-a-url-0123456789abcd@postgres/intake",
     "db-password-in-a-url-0123456789abcd"),
    ("percent-encoded password", "amqp://u:pass%2Fword-with-a-slash-0123456789abcdef@h/v",
     "pass/word-with-a-slash-0123456789abcdef"),
    ("env assignment", "MOTCUA_JWT_SECRET=env-file-assignment-value-0123456789abcd", "env-file-assignment-value-0123456789abcd"),
    ("python string", 'SECRET = "python-string-literal-value-0123456789ab"', "python-string-literal-value-0123456789ab"),
    ("json value", '{"key": "json-string-value-in-a-document-0123456789"}', "json-string-value-in-a-document-0123456789"),
    ("base64 with padding", "KEY=Ab+/Cd0123456789Ab+/Cd0123456789Ab+/Cd01234=",
     "Ab+/Cd0123456789Ab+/Cd0123456789Ab+/Cd01234="),
    ("markdown code", "set `MOTCUA_JWT_SECRET` to `markdown-code-span-value-0123456789abc`.",
     "markdown-code-span-value-0123456789abc"),
    ("end of a sentence", "for example prose-value-at-a-sentence-end-0123456789.", "prose-value-at-a-sentence-end-0123456789"),
    ("yaml mapping", "password: yaml-mapping-value-0123456789abcdefghij", "yaml-mapping-value-0123456789abcdefghij"),
]


@pytest.mark.parametrize("line,value", [w[1:] for w in WRITTEN], ids=[w[0] for w in WRITTEN])
def test_a_value_is_cut_out_however_it_is_written(line, value):
    assert value in published.candidates(line)


def test_a_function_name_is_not_a_value_and_short_tokens_need_no_digest():
    found = published.candidates("def test_the_name_of_a_function_is_not_a_value(tmp):\n  short-token-31-characters-long")
    assert found == set()


def test_the_committed_digests_hold_every_value_now_in_the_repository():
    committed = set(json.loads(published.DATA_FILE.read_text())["digests"])
    missing = sorted(value for value in published.tree_values(ROOT) if published.digest(value) not in committed)
    assert not missing, (f"{len(missing)} values written in the repository are not in "
                         "shared/motcua_shared/published_values.json: run `make docs`; e.g. " + missing[0][:8] + "…")


def test_what_the_repository_publishes_is_found_and_a_fresh_value_is_not():
    assert published.is_published("dev-secret-change-me-0123456789abcdef")  # a development default in the code
    assert published.is_published("test-secret-for-motcua-0123456789abcdef")  # the test suite's
    assert not published.is_published(secrets.token_urlsafe(32))


def test_the_file_stays_small():
    assert published.DATA_FILE.stat().st_size < 200_000
