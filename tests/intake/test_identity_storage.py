"""Identity numbers are stored only as a keyed hash (to match) and encrypted (to print), never in clear,
and a citizen's number is never their `created_by` (issue 15, item 5).

The number used throughout is the one tests type in for the applicant (intake.support.APPLICANT); a
citizen's token carries their number as its subject, as VNeID's does.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest
from alembic import command
from sqlalchemy import text

from motcua_shared.migrations import alembic_config
from motcua_shared.settings import load

from motcua_intake.config import DEV_ID_ENCRYPTION_KEY, SETTINGS
from motcua_intake.desk import Desk
from motcua_intake.identity import IdentityCipher, UnreadableIdentity, new_encryption_key
from motcua_intake.rehash import rehash

from motcua_testing.system import spec_of
from intake.support import APPLICANT, IntakeDesk, dossier, token

NUMBER = APPLICANT["id_number"]  # 014090001234
DEFAULT_HASH_KEY = "dev-identity-key-change-me-0123456789"
KEY_A = base64.urlsafe_b64encode(bytes(range(32))).decode()
KEY_B = base64.urlsafe_b64encode(bytes(range(32, 64))).decode()


def keyed_hash(number: str, key: str = DEFAULT_HASH_KEY) -> str:
    """Worked out here, not by intake: HMAC-SHA256 of the number under the hash key."""
    return hmac.new(key.encode(), number.encode(), hashlib.sha256).hexdigest()


def rows(desk, table: str) -> list[dict]:
    with desk.runtime.engine.connect() as conn:
        return [dict(row) for row in conn.execute(text(f"SELECT * FROM {table}")).mappings()]


def everything_stored(desk) -> str:
    return json.dumps([rows(desk, table) for table in ("dossiers", "dossier_history", "outbox")],
                      default=str, ensure_ascii=False)


def submit_as_citizen(desk, number: str = NUMBER, **headers) -> dict:
    answer = desk.client.post("/api/v1/dossiers", headers={**token("citizen", sub=number), **headers},
                              json=dossier(procedure_code="1.005461", channel="online"))
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


# -- what the database holds -----------------------------------------------------------------------
def test_the_database_holds_the_number_only_hashed_and_encrypted(desk):
    code = desk.receive()["code"]
    assert NUMBER not in everything_stored(desk)
    (row,) = rows(desk, "dossiers")
    assert "applicant_id_number" not in row
    assert row["applicant_id_hash"] == keyed_hash(NUMBER)
    assert row["applicant_id_encrypted"].startswith("v1.")
    assert IdentityCipher(DEV_ID_ENCRYPTION_KEY).decrypt(row["applicant_id_encrypted"]) == NUMBER
    # The same number twice is encrypted differently (a fresh nonce): equal ciphertexts reveal nothing.
    other = desk.receive()["code"]
    encrypted = {r["code"]: r["applicant_id_encrypted"] for r in rows(desk, "dossiers")}
    assert encrypted[code] != encrypted[other]


def test_a_citizens_dossier_records_the_hash_of_their_number_as_its_creator(desk):
    code = submit_as_citizen(desk)["code"]
    (row,) = rows(desk, "dossiers")
    assert row["created_by"] == "citizen:" + keyed_hash(NUMBER)
    assert [entry["actor"] for entry in rows(desk, "dossier_history")] == ["citizen"]
    assert NUMBER not in everything_stored(desk)
    me = token("citizen", sub=NUMBER)
    assert desk.client.get(f"/api/v1/dossiers/{code}", headers=me).status_code == 200
    listed = desk.client.get("/api/v1/dossiers", headers=me).get_json()["items"]
    assert [item["code"] for item in listed] == [code]


def test_a_citizen_who_submits_for_someone_else_still_sees_it_and_its_applicant_does_too(desk):
    submitter, applicant = "014190009999", NUMBER
    code = submit_as_citizen(desk, submitter)["code"]
    for number in (submitter, applicant):
        assert desk.client.get(f"/api/v1/dossiers/{code}", headers=token("citizen", sub=number)).status_code == 200
    assert desk.client.get(f"/api/v1/dossiers/{code}",
                           headers=token("citizen", sub="014190005678")).status_code == 404
    assert submitter not in everything_stored(desk)


def test_a_citizens_retried_submission_answers_with_the_same_dossier(desk):
    first = submit_as_citizen(desk, **{"Idempotency-Key": "retry-1"})
    again = submit_as_citizen(desk, **{"Idempotency-Key": "retry-1"})
    assert again["code"] == first["code"] and len(rows(desk, "dossiers")) == 1
    # Another citizen's key of the same spelling is theirs, not a replay of the first.
    assert submit_as_citizen(desk, "014190009999", **{"Idempotency-Key": "retry-1"})["code"] != first["code"]


# -- where the number is shown ---------------------------------------------------------------------
def test_the_receipt_prints_the_last_digits_and_the_officer_sees_the_whole_number(desk):
    code = desk.receive()["code"]
    receipt = desk.client.get(f"/api/v1/dossiers/{code}/receipt", headers=token("receptionist", unit="04222"))
    html = receipt.get_data(as_text=True)
    assert receipt.status_code == 200 and "********1234" in html and NUMBER not in html
    assert desk.detail(code)["applicant"]["id_number"] == NUMBER


def test_the_public_lookup_still_matches_and_a_wrong_number_still_looks_like_an_unknown_code(desk):
    code = desk.receive()["code"]
    right = desk.client.get(f"/api/v1/public/dossiers/{code}", query_string={"id_number": NUMBER})
    wrong = desk.client.get(f"/api/v1/public/dossiers/{code}", query_string={"id_number": "014090009999"})
    unknown = desk.client.get("/api/v1/public/dossiers/H52.04222-260101-9999", query_string={"id_number": NUMBER})
    assert right.status_code == 200
    assert (wrong.status_code, wrong.get_json()) == (unknown.status_code, unknown.get_json())


# -- the cipher and the keys -----------------------------------------------------------------------
def test_the_cipher_refuses_what_it_did_not_encrypt_and_reads_a_previous_key():
    old, new = IdentityCipher(KEY_A), IdentityCipher(KEY_B, previous=(KEY_A,))
    sealed = old.encrypt(NUMBER)
    assert NUMBER not in sealed and new.decrypt(sealed) == NUMBER and not new.is_current(sealed)
    assert new.is_current(new.encrypt(NUMBER))
    with pytest.raises(UnreadableIdentity):
        IdentityCipher(KEY_B).decrypt(sealed)  # the old key is gone
    tampered = sealed[:-4] + ("AAAA" if not sealed.endswith("AAAA") else "BBBB")
    with pytest.raises(UnreadableIdentity):
        old.decrypt(tampered)
    assert len(base64.urlsafe_b64decode(new_encryption_key())) == 32


@pytest.mark.parametrize("bad", ["short", "not base64 at all!", base64.urlsafe_b64encode(b"x" * 16).decode()])
def test_an_invalid_encryption_key_stops_the_process_with_a_clear_line(bad):
    with pytest.raises(SystemExit, match="INTAKE_ID_ENCRYPTION_KEY"):
        load("intake", SETTINGS, environ={"INTAKE_ID_ENCRYPTION_KEY": bad})


def test_rehash_brings_every_number_under_rotated_keys(intake_database):
    before = IntakeDesk.on(intake_database, INTAKE_ID_ENCRYPTION_KEY=KEY_A)
    try:
        counter = before.receive()["code"]
        online = submit_as_citizen(before)["code"]
    finally:
        before.close()
    rotated_hash = "a-new-identity-hash-key-2026"
    after = IntakeDesk.on(intake_database, INTAKE_ID_ENCRYPTION_KEY=KEY_B, INTAKE_ID_PREVIOUS_ENCRYPTION_KEYS=KEY_A,
                          INTAKE_ID_HASH_KEY=rotated_hash)
    try:
        counts = rehash(after.runtime, Desk.from_settings(after.runtime.settings))
        assert counts == {"dossiers": 2, "reencrypted": 2, "creators": 1}
        stored = {row["code"]: row for row in rows(after, "dossiers")}
        assert {row["applicant_id_hash"] for row in stored.values()} == {keyed_hash(NUMBER, rotated_hash)}
        assert stored[online]["created_by"] == "citizen:" + keyed_hash(NUMBER, rotated_hash)
        assert all(IdentityCipher(KEY_B).decrypt(row["applicant_id_encrypted"]) == NUMBER for row in stored.values())
        found = after.client.get(f"/api/v1/public/dossiers/{counter}", query_string={"id_number": NUMBER})
        assert found.status_code == 200
        assert after.client.get(f"/api/v1/dossiers/{online}", headers=token("citizen", sub=NUMBER)).status_code == 200
    finally:
        after.close()


# -- migration 0008 --------------------------------------------------------------------------------
def test_migration_0008_encrypts_the_clear_numbers_and_hashes_citizens_creators(desk, intake_database):
    counter = desk.receive()["code"]
    online = submit_as_citizen(desk)["code"]
    config = alembic_config(spec_of("intake"), intake_database)
    command.downgrade(config, "0007")
    with desk.runtime.engine.begin() as conn:
        clear = dict(conn.execute(text("SELECT code, applicant_id_number FROM dossiers")).all())
        assert clear == {counter: NUMBER, online: NUMBER}  # the downgrade gives the clear column back
        # As intake wrote them before: the citizen's number as creator, and as actor in older history.
        conn.execute(text("UPDATE dossiers SET created_by = :number WHERE code = :code"),
                     {"number": NUMBER, "code": online})
        conn.execute(text("UPDATE dossier_history SET actor = :number WHERE dossier_code = :code"),
                     {"number": NUMBER, "code": online})
    command.upgrade(config, "head")
    assert NUMBER not in everything_stored(desk)
    stored = {row["code"]: row for row in rows(desk, "dossiers")}
    assert "applicant_id_number" not in stored[counter]
    assert stored[online]["created_by"] == "citizen:" + keyed_hash(NUMBER)
    assert stored[counter]["created_by"] == "officer-1"
    assert {row["actor"] for row in rows(desk, "dossier_history") if row["dossier_code"] == online} == {"citizen"}
    assert desk.detail(counter)["applicant"]["id_number"] == NUMBER
    assert desk.client.get(f"/api/v1/dossiers/{online}", headers=token("citizen", sub=NUMBER)).status_code == 200


# -- bulk imports ----------------------------------------------------------------------------------
def import_and_apply(desk) -> list[str]:
    from intake.test_import_applying import apply, stage

    from intake.import_support import records

    items = records(3)
    apply(desk, stage(desk, items).row["id"])
    return [item.applicant.id_number for item in items]


def test_an_applied_import_record_keeps_only_what_tells_it_again(desk):
    numbers = import_and_apply(desk)
    kept = rows(desk, "import_records")
    assert [set(row["record"]) for row in kept] == [{"code", "fingerprint"}] * 3
    assert all(row["applied"] for row in kept)
    assert not any(number in everything_stored(desk) + json.dumps(kept, default=str) for number in numbers)


def test_migration_0008_forgets_the_applicants_of_import_records_already_applied(desk, intake_database):
    numbers = import_and_apply(desk)
    config = alembic_config(spec_of("intake"), intake_database)
    command.downgrade(config, "0007")
    with desk.runtime.engine.begin() as conn:  # as 0007's applier left them: the whole record
        conn.execute(text("UPDATE import_records SET record = CAST(:whole AS json)"),
                     {"whole": json.dumps({"code": "x", "fingerprint": "f", "applicant": {"id_number": numbers[0]}})})
    command.upgrade(config, "head")
    kept = rows(desk, "import_records")
    assert [row["record"] for row in kept] == [{"code": "x", "fingerprint": "f"}] * 3



# -- a citizen's request ---------------------------------------------------------------------------
def test_the_operator_finds_a_citizens_dossiers_by_number_and_erases_the_contacts_of_those_over(desk):
    from motcua_intake.personal_data import erase_contacts, find

    online = submit_as_citizen(desk, "014190009999")["code"]  # submitted for NUMBER by another citizen
    over = desk.receive(status="submitted")["code"]  # waiting at the desk, then refused there
    refused = desk.act(over, "refusal", {"reason": "Hồ sơ không thuộc thẩm quyền."})
    assert refused.status_code in (200, 201), refused.get_json()
    open_one = desk.receive()["code"]
    cipher_desk = desk.runtime.extras["desk"]
    with desk.runtime.sessions() as session:
        found = {(f.code, f.status, f.as_applicant, f.as_submitter) for f in find(session, cipher_desk, NUMBER)}
        assert found == {(online, "submitted", True, False), (over, "refused", True, False),
                         (open_one, "received", True, False)}
        assert [f.code for f in find(session, cipher_desk, "014190009999")] == [online]
    with desk.runtime.sessions.begin() as session:
        assert erase_contacts(session, [over, open_one]) == ([over], [open_one])
    stored = {row["code"]: row for row in rows(desk, "dossiers")}
    assert (stored[over]["applicant_phone"], stored[over]["applicant_email"]) == (None, None)
    assert stored[over]["applicant_name"] == APPLICANT["full_name"]  # the record itself is kept
    assert stored[open_one]["applicant_phone"] == APPLICANT["phone"]
