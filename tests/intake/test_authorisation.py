"""Who may see and do what (docs/contracts.md §2): officers are confined to their unit and the units below it,
in the hierarchy in force on the day each dossier came in; citizens see only their own dossiers.
A dossier outside one's scope answers 404, like a code that does not exist; receiving at a unit outside
it answers 403."""
from __future__ import annotations

import pytest

from intake.support import at, dossier, token

READS = ("", "/receipt", "/control-log")


def codes_seen(desk, headers, **query) -> set[str]:
    answer = desk.client.get("/api/v1/dossiers", query_string={"page_size": 100, **query}, headers=headers)
    assert answer.status_code == 200, answer.get_json()
    return {item["code"] for item in answer.get_json()["items"]}


def test_a_receptionist_of_commune_a_can_neither_receive_at_nor_read_commune_b(desk):
    mine = desk.receive("04222")["code"]
    theirs = desk.receive("04171")["code"]
    pending = desk.receive("04171", status="submitted")["code"]
    a = token("receptionist", unit="04222")
    refused = desk.client.post("/api/v1/dossiers", json=dossier(receiving_unit="04171"), headers=a)
    assert refused.status_code == 403 and refused.get_json()["code"] == "unit_out_of_scope"
    for path in READS:
        assert desk.client.get(f"/api/v1/dossiers/{mine}{path}", headers=a).status_code == 200
        answer = desk.client.get(f"/api/v1/dossiers/{theirs}{path}", headers=a)
        assert answer.status_code == 404 and answer.get_json()["code"] == "dossier_not_found"
    unknown = desk.client.get("/api/v1/dossiers/H52.04171-260101-0999", headers=a)
    assert unknown.get_json() == desk.client.get(f"/api/v1/dossiers/{theirs}", headers=a).get_json()
    assert desk.act(pending, "acceptance", unit="04222").status_code == 404
    assert desk.detail(pending, unit="04171")["status"] == "submitted"
    assert codes_seen(desk, a) == {mine}
    assert codes_seen(desk, a, unit="04171") == set()  # naming another unit finds nothing
    logbook = desk.client.get("/api/v1/logbook", query_string={"unit": "04171", "from": "2026-01-01",
                                                               "to": "2026-12-31"}, headers=a)
    assert logbook.status_code == 403 and logbook.get_json()["code"] == "unit_out_of_scope"


def test_an_administrator_of_commune_a_is_confined_to_it_and_one_without_a_unit_is_refused(desk):
    """An admin's scope is their unit like any officer's: commune A's sees and acts on nothing of commune B,
    and a token naming no unit is not "the whole province": it is refused before anything is read."""
    mine = desk.receive("04222")["code"]
    theirs = desk.receive("04171", status="submitted")["code"]
    admin_a = token("admin", unit="04222")
    assert codes_seen(desk, admin_a) == {mine}
    for path in READS:
        answer = desk.client.get(f"/api/v1/dossiers/{theirs}{path}", headers=admin_a)
        assert answer.status_code == 404 and answer.get_json()["code"] == "dossier_not_found"
    refused = desk.client.post("/api/v1/dossiers", json=dossier(receiving_unit="04171"), headers=admin_a)
    assert refused.status_code == 403 and refused.get_json()["code"] == "unit_out_of_scope"
    assert desk.client.post(f"/api/v1/dossiers/{theirs}/acceptance", json={}, headers=admin_a).status_code == 404
    assert desk.detail(theirs, unit="04171")["status"] == "submitted"
    for role in ("admin", "auditor", "receptionist"):
        answer = desk.client.get(f"/api/v1/dossiers/{mine}", headers=token(role))
        assert answer.status_code == 401 and answer.get_json()["code"] == "invalid_token", role


def test_in_the_three_level_world_the_district_sees_its_communes_and_the_province_sees_all(desk):
    old_a = desk.imported(at("2019-03-15 08:30"), unit="04222")["code"]
    old_b = desk.imported(at("2019-03-15 09:00"), unit="04171")["code"]
    new_a = desk.receive("04222")["code"]
    district = token("leader", unit="126")
    assert codes_seen(desk, district) == {old_a, old_b}  # Sông Mã's 2019 dossiers, not its former commune's 2026 one
    assert desk.client.get(f"/api/v1/dossiers/{new_a}", headers=district).status_code == 404
    assert codes_seen(desk, token("auditor", unit="14")) == {old_a, old_b, new_a}
    assert codes_seen(desk, token("admin", unit="14")) == {old_a, old_b, new_a}  # the province's administrator
    assert codes_seen(desk, token("specialist", unit="04222")) == {old_a, new_a}  # both worlds of one commune
    assert codes_seen(desk, token("receptionist", unit="116")) == set()  # another district


def test_in_the_two_level_world_the_commune_officer_works_and_the_former_district_cannot(desk):
    commune = token("receptionist", unit="04222")  # 14.04222 since 01/07/2025
    answer = desk.client.post("/api/v1/dossiers", json=dossier(), headers=commune)
    assert answer.status_code == 201
    assert desk.detail(answer.get_json()["code"])["receiving_unit"] == {"code": "04222", "name": "Xã Chiềng Khương"}
    district = desk.client.post("/api/v1/dossiers", json=dossier(), headers=token("receptionist", unit="126"))
    assert district.status_code == 403 and district.get_json()["code"] == "unit_out_of_scope"
    province = desk.client.post("/api/v1/dossiers", json=dossier(), headers=token("receptionist", unit="14"))
    assert province.status_code == 201  # a provincial centre receives for any commune of the province


def test_a_citizen_sees_only_their_own_dossiers(desk):
    own_online = desk.client.post("/api/v1/dossiers", headers=token("citizen", sub="014090001234"), json=dossier(
        procedure_code="1.005461", channel="online")).get_json()["code"]
    own_at_counter = desk.receive()["code"]  # applicant 014090001234, keyed in by the desk
    someone_else = desk.receive(applicant={"full_name": "Cầm Thị Lan", "id_number": "014190005678"})["code"]
    me, other = token("citizen", sub="014090001234"), token("citizen", sub="014190009999")
    assert codes_seen(desk, me) == {own_online, own_at_counter}
    assert codes_seen(desk, other) == set()
    assert desk.client.get(f"/api/v1/dossiers/{own_at_counter}/receipt", headers=me).status_code == 200
    assert desk.client.get(f"/api/v1/dossiers/{someone_else}", headers=me).status_code == 404
    refused = desk.client.post(f"/api/v1/dossiers/{own_online}/acceptance", json={}, headers=me)
    assert refused.status_code == 403 and refused.get_json()["code"] == "forbidden_role"


@pytest.mark.parametrize("action,body", [("acceptance", {}), ("refusal", {"reason": "x"}),
                                         ("withdrawal", {}), ("return", {"method": "counter"})])
def test_officers_who_do_not_work_at_the_desk_cannot_act_for_it(desk, action, body):
    code = desk.receive(status="submitted")["code"]
    for role in ("specialist", "leader", "auditor"):
        answer = desk.act(code, action, body, role=role)
        assert answer.status_code == 403 and answer.get_json()["code"] == "forbidden_role"
    assert desk.detail(code)["status"] == "submitted"
