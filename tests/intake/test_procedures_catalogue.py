"""GET /api/v1/procedures: the published catalogue with the pinned fields (and the fee's basis and source,
added by issue 14), filtered and searched without regard to accents."""
from __future__ import annotations

CONTRACT_FIELDS = {"code", "name", "level", "processing_time", "fee_vnd", "online", "postal_allowed", "inter_agency",
                   "route"}
# Beside the contract: whether fee_vnd was published, is free, derived or not known, and who set it.
FEE_FIELDS = {"fee_basis", "fee_source"}


def catalogue(desk, **query) -> dict:
    answer = desk.client.get("/api/v1/procedures", query_string=query)
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def test_every_procedure_carries_exactly_the_contract_fields(desk):
    body = catalogue(desk)
    assert body["total"] == len(body["items"]) == 46
    for item in body["items"]:
        assert set(item) == CONTRACT_FIELDS | FEE_FIELDS
        assert item["processing_time"]["unit"] in ("working_hours", "working_days", "calendar_days", "same_day")
        assert item["online"] in ("full", "partial", "none") and item["level"] in item["route"]
    marriage = next(item for item in body["items"] if item["code"] == "1.004873")
    assert marriage == {"code": "1.004873", "name": "Thủ tục cấp Giấy xác nhận tình trạng hôn nhân", "level": "commune",
                        "processing_time": {"value": 3, "unit": "working_days"}, "fee_vnd": 10000,
                        "fee_basis": "published", "fee_source": "Hà Tĩnh: NQ 253/2020/NQ-HĐND (không phải Sơn La)",
                        "online": "partial", "postal_allowed": True, "inter_agency": False, "route": ["commune"]}
    # Today (two levels) the liên thông death group goes from the commune straight to the province.
    death = next(item for item in body["items"] if item["code"] == "1.010915")
    assert death["route"] == ["commune", "province"] and death["inter_agency"] is True
    # No amount found: 0 is "not known", and the basis says so.
    permit = next(item for item in body["items"] if item["code"] == "MC.014")
    assert (permit["fee_vnd"], permit["fee_basis"]) == (0, "unpublished")


def test_filters_by_level_and_online_service(desk):
    province = catalogue(desk, level="province")["items"]
    assert province and all(item["level"] == "province" for item in province)
    # Today is in the two-level world: the district procedures are decided at the commune.
    assert catalogue(desk, level="district")["total"] == 0
    full = catalogue(desk, online="full")["items"]
    assert full and all(item["online"] == "full" for item in full)
    assert catalogue(desk, level="province", online="none")["items"] == [
        item for item in province if item["online"] == "none"]


def test_search_ignores_accents_and_case(desk):
    plain = [item["code"] for item in catalogue(desk, search="dang ky ket hon")["items"]]
    accented = [item["code"] for item in catalogue(desk, search="ĐĂNG KÝ KẾT HÔN")["items"]]
    assert plain == accented and plain[0] == "1.000894"
    assert catalogue(desk, search="khai tu")["total"] >= 2
    assert catalogue(desk, search="xyzzy")["total"] == 0


def test_unknown_filters_and_values_are_refused(desk):
    for query in ({"levle": "commune"}, {"level": "village"}, {"online": "yes"}):
        answer = desk.client.get("/api/v1/procedures", query_string=query)
        assert answer.status_code == 422 and answer.get_json()["code"] == "validation_failed"
