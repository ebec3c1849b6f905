"""GET /api/v1/dossiers for officers: newest first, paged, filtered, searched without regard to accents."""
from __future__ import annotations

from intake.support import APPLICANT, at, token

OFFICER = token("receptionist", unit="04222")


def listing(desk, headers=OFFICER, **query) -> dict:
    answer = desk.client.get("/api/v1/dossiers", query_string=query, headers=headers)
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def person(name: str, id_number: str = "014090001234") -> dict:
    return {**APPLICANT, "full_name": name, "id_number": id_number}


def test_search_ignores_accents_case_and_the_way_the_name_was_typed(desk):
    names = ["Nguyễn Văn An", "Nguyễn Thị Bình", "Lò Văn Hùng", "Đặng Văn Đức",
             "Nguye\u0302\u0303n Va\u0306n Tư"]  # typed on a keyboard that sends decomposed (NFD) marks
    codes = {name: desk.receive(applicant=person(name))["code"] for name in names}

    def found(q: str) -> set[str]:
        return {item["applicant_name"] for item in listing(desk, q=q)["items"]}

    assert found("nguyen") == {"Nguyễn Văn An", "Nguyễn Thị Bình", "Nguyễn Văn Tư"}  # stored composed (NFC)
    assert found("NGUYỄN THỊ") == {"Nguyễn Thị Bình"}
    assert found("dang van duc") == {"Đặng Văn Đức"}  # đ is not a d with a mark: folded all the same
    assert found("van hung") == {"Lò Văn Hùng"}
    suffix = codes["Lò Văn Hùng"].rsplit("-", 1)[1]
    assert found(f"-{suffix}") == {"Lò Văn Hùng"}  # part of the code
    assert found(codes["Lò Văn Hùng"].lower()) == {"Lò Văn Hùng"}
    assert found("%") == set() and found("_") == set()  # no wildcard of SQL's


def test_newest_first_in_pages(desk):
    codes = [desk.receive(applicant=person(f"Công dân {i:02d}"))["code"] for i in range(25)]
    pages = [listing(desk, page=page, page_size=10) for page in (1, 2, 3, 4)]
    assert [p["total"] for p in pages] == [25] * 4
    seen = [item["code"] for p in pages for item in p["items"]]
    assert seen == list(reversed(codes))
    assert [len(p["items"]) for p in pages] == [10, 10, 5, 0]
    for query in ({"page_size": 101}, {"page": 0}, {"stauts": "received"}):
        answer = desk.client.get("/api/v1/dossiers", query_string=query, headers=OFFICER)
        assert answer.status_code == 422 and answer.get_json()["code"] == "validation_failed"


def test_filters_narrow_the_list(desk):
    early = desk.imported(at("2026-03-02 09:00"))["code"]
    march = desk.imported(at("2026-03-31 16:59"), procedure_code="1.004873")["code"]
    april = desk.imported(at("2026-04-01 07:30"), channel="postal")["code"]
    pending = desk.receive(status="submitted")["code"]
    elsewhere = desk.imported(at("2026-03-15 09:00"), unit="04171")["code"]

    def codes(headers=OFFICER, **query) -> set[str]:
        return {item["code"] for item in listing(desk, headers, page_size=100, **query)["items"]}

    assert codes() == {early, march, april, pending}
    assert codes(status="submitted") == {pending}
    assert codes(procedure="1.004873") == {march}
    assert codes(channel="postal") == {april}
    # Days are Vietnam days: 31/3 16:59 is in March, 1/4 07:30 in April, whatever UTC says.
    assert codes(received_from="2026-03-31", received_to="2026-03-31") == {march}
    assert codes(received_from="2026-04-01") == {april}
    assert codes(received_to="2026-03-30") == {early}
    province = token("auditor", unit="14")
    assert codes(province, unit="04171") == {elsewhere}
    assert codes(province, received_from="2026-03-01", received_to="2026-03-31") == {early, march, elsewhere}
    summary = listing(desk, status="submitted")["items"][0]
    assert summary["status_label"] == "Mới đăng ký, chờ tiếp nhận" and summary["due_at"] is None
    bad = desk.client.get("/api/v1/dossiers", query_string={"received_from": "2026-04-02",
                                                            "received_to": "2026-04-01"}, headers=OFFICER)
    assert bad.status_code == 422
