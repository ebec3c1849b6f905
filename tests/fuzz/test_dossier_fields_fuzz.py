"""Hostile values in the fields of an otherwise valid dossier submission (POST /api/v1/dossiers).

Bodies that schemathesis generates from the OpenAPI document almost never satisfy the catalogue's rules
(a real procedure, a unit in force, a channel the procedure offers), so they stop at the first check and
the code behind it is hardly reached. Here every example starts from a body that intake accepts — a
real procedure, a unit in force today, a channel and return method the procedure allows, as a desk
officer, a citizen or an administrator importing a historical dossier — and one to three of its fields
are replaced with hostile but plausible values: text in every shape Unicode allows (decomposed
Vietnamese, combining marks, RTL and zero-width marks, emoji, lengths at and beyond the documented
maximum), control characters, other JSON types, dates at the ends of the calendar, codes that do not
exist, document lists empty, huge or repeated, nested objects.

Properties, for every example:
- never a 5xx; every refusal is problem+json with a machine `code`, and stores nothing (no dossier, no
  history row, no outbox event);
- an accepted dossier stores one dossier, one history row and one event, and reads back with each text
  field as intake promises to keep it (trimmed, NFC) and every other field as sent; identity numbers and
  phones it accepted are the ASCII digits the documented pattern describes;
- the receipt (Mẫu 01) of an accepted, received dossier is an HTML page with the applicant's name
  escaped; a dossier still awaiting the desk has none yet (409 not_received).

Derandomized and bounded so that CI reruns the same examples: MOTCUA_FUZZ_FIELD_EXAMPLES, default 1000
(about 30 s) in `make test`; `make fuzz` runs 10,000.
"""
from __future__ import annotations

import copy
import json
import os
import re
import unicodedata
from collections import Counter
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, example, given, note, settings
from hypothesis import strategies as st
from markupsafe import escape

from motcua_shared.reference import OnlineLevel, load_catalogue, load_units
from motcua_shared.web.errors import PROBLEM_CONTENT_TYPE

EXAMPLES = int(os.environ.get("MOTCUA_FUZZ_FIELD_EXAMPLES", "1000"))
VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime.now(timezone.utc)
TODAY = NOW.astimezone(VN).date()
# Units in force today and over the last 60 days, so that an imported dossier's day has them too.
UNITS = sorted(u.code for u in load_units().units_on(TODAY)
               if load_units().find(u.code, TODAY - timedelta(days=60)) is not None)
PROCEDURES = sorted(load_catalogue().all(), key=lambda p: p.code)
DELETE = object()  # a mutation that removes the field
TABLES = ("dossiers", "dossier_history", "outbox")


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# -- the valid bodies --------------------------------------------------------------------------------
NAMES = ("Lò Văn Hùng", "Nguyễn Thị Ánh Tuyết", "Hoàng Thị Thuỷ", "Đặng Quốc Việt", "Quàng Thị Ửng")


@st.composite
def valid_submissions(draw) -> dict:
    """(body, role, unit claim, sub): a submission intake accepts as it stands."""
    procedure = draw(st.sampled_from(PROCEDURES))
    unit = draw(st.sampled_from(UNITS))
    role = draw(st.sampled_from(("receptionist", "receptionist", "citizen", "admin")))
    id_number = draw(st.from_regex(r"\A0[0-9]{11}\Z"))
    applicant = {"full_name": draw(st.sampled_from(NAMES)), "id_number": id_number,
                 "phone": draw(st.sampled_from(("0912345678", "+84387654321", None))),
                 "email": draw(st.sampled_from(("hung@example.vn", None))),
                 "address": "Bản Hưng Mai, xã Chiềng Khương"}
    channels = ["postal"] if procedure.postal_allowed else []
    if role == "citizen":
        channels += ["online"] if procedure.online is not OnlineLevel.NONE else []
    else:
        channels += ["counter", "online"]
    if not channels:  # a citizen cannot submit this procedure at all: the desk does it
        role, channels = "receptionist", ["counter"]
    returns = ["counter"] + (["postal"] if procedure.postal_allowed else []) + \
        (["online"] if procedure.online is not OnlineLevel.NONE else [])
    body = {
        "procedure_code": procedure.code, "channel": draw(st.sampled_from(channels)), "receiving_unit": unit,
        "applicant": applicant, "return_method": draw(st.sampled_from(returns)),
        "documents": [{"name": d.name, "copy_type": d.copy_type.value, "count": d.count}
                      for d in procedure.documents if not d.condition][:50]
        or [{"name": "Tờ khai", "copy_type": "original", "count": 1}],
    }
    if body["return_method"] == "postal":
        body["delivery_address"] = "Số 12 đường Tô Hiệu, phường Tô Hiệu"
    if draw(st.booleans()):
        body["competent_unit"] = unit
    if role == "receptionist":
        body["status"] = draw(st.sampled_from((None, "received", "submitted")))
    if role == "admin":
        body["received_at"] = (NOW - timedelta(days=draw(st.integers(1, 55)), minutes=draw(st.integers(0, 600)))) \
            .astimezone(timezone(timedelta(hours=draw(st.integers(-12, 14))))).isoformat()
    # A citizen's token says who they are; an officer's, which desk; the province's administrator, 14.
    claim = {"receptionist": unit, "admin": "14"}.get(role)
    sub = id_number if role == "citizen" else f"fuzz-{role}"
    return {"body": body, "role": role, "unit": claim, "sub": sub}


# -- the hostile values ------------------------------------------------------------------------------
VIETNAMESE = "Nguyễn Thị Ánh Tuyết ở bản Hưng Mai"
SHAPES = [
    nfd(VIETNAMESE), "Nguye\u0302\u0303n Thi\u0323", "ễ" * 3 + "\u0301\u0323\u0300" * 5, "\u0301Ánh",
    "\u200fمحمد علي\u200f", "\u202eTuyết\u202c", "A\u200bB\u200cC\u200dD\ufeff", "👨‍👩‍👧 Gia đình 🇻🇳",
    "  Lò Văn Hùng  ", "\u3000Lò\u3000", "\u00a0Lò Văn\u00a0", "\u2028Lò\u2029", "Lò\tVăn\nHùng\r",
    "<script>alert('x')</script> & \"Hùng\"", "'; DROP TABLE dossiers; --", "%s%n{0}{{7*7}}", "\\u0000",
    "𝕷ò 𝖁ă𝖓", "ﬁ Ω Å ǅ", "I\u0307stanbul", "\U0010ffff\ue000", "   ", "",
]
# Control characters (C0 and C1: NEL, CSI) are refused by the Text field.
CONTROLS = ["\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x85", "\x9b"]
# One branch where it is used: `one_of` (even through `.map`) would flatten these nine into the others.
OTHER_TYPES = st.sampled_from((
    st.none(), st.booleans(), st.integers(-(10 ** 20), 10 ** 20), st.just(10 ** 400),
    st.floats(allow_nan=False, allow_infinity=False), st.lists(st.text(max_size=4), max_size=3),
    st.dictionaries(st.text(max_size=4), st.text(max_size=4), max_size=2),
    st.just({"vi": "Lò Văn Hùng"}), st.just(["Lò Văn Hùng"]),
)).flatmap(lambda strategy: strategy)


def long_texts(maximum: int) -> st.SearchStrategy[str]:
    """Around the documented maxLength, counted after NFC and trimming, as intake counts."""
    unit = st.sampled_from(("a", "ễ", nfd("ễ"), "😀", "\u0301", " ", "ß", "ﬁ"))  # ß, ﬁ: longer when case-folded
    return st.builds(lambda piece, n, pad: (pad + piece * n + pad), unit,
                     st.sampled_from((maximum - 1, maximum, maximum + 1, maximum * 3)), st.sampled_from(("", "  ")))


def with_control(base: str) -> st.SearchStrategy[str]:
    return st.builds(lambda c, i: base[:i] + c + base[i:], st.sampled_from(CONTROLS), st.integers(0, len(base)))


def texts(maximum: int) -> st.SearchStrategy:
    return st.one_of(st.sampled_from(SHAPES), st.text(max_size=40), long_texts(maximum),
                     with_control(VIETNAMESE), OTHER_TYPES)


DIGITS = "0123456789"
FOREIGN_DIGITS = ("٠١٢٣٤٥٦٧٨٩", "０１２３４５６７８９", "०१२३४५६७८९", "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗")


def in_digits(text: str, alphabet: str) -> str:
    return text.translate(str.maketrans(DIGITS, alphabet))


ID_NUMBERS = st.one_of(st.sampled_from([
    "014090001234\n", " 014090001234", "014090001234 ", "01409000123", "0140900012345", "014090001",
    "01409000123a", "", "０14090001234", *[in_digits("014090001234", d) for d in FOREIGN_DIGITS],
    in_digits("014090001", FOREIGN_DIGITS[0]), "014 090 001 234", "+84014090001"]), OTHER_TYPES, st.text(max_size=14))
PHONES = st.one_of(st.sampled_from([
    "0912345678\n", "0912345678 ", "091234567", "09123456789", "0212345678", "+84912345678", "84912345678",
    "+84 912 345 678", *["09" + in_digits("12345678", d) for d in FOREIGN_DIGITS], ""]), OTHER_TYPES)
EMAILS = st.one_of(st.sampled_from([
    "hung@example.vn\n", " hung@example.vn", "hùng@ví-dụ.vn", "hung@xn--v-dua.vn", "hung@localhost", "hung",
    "a" * 64 + "@example.vn", "a" * 65 + "@example.vn", "b@" + "c" * 63 + "." + "d" * 63 + "." + "e" * 100 + ".vn",
    "h\u200bung@example.vn", "hung@exa\u0000mple.vn", "\"a b\"@example.vn", "hung@[127.0.0.1]", ""]), OTHER_TYPES)
UNIT_CODES = st.one_of(st.sampled_from([
    "99999", "00000", "04222\n", " 04222", "0422", "042222", "126", "04225", "14.04222", "００４２２", "٠٤٢٢٢",
    "1" * 41, ""]), OTHER_TYPES)
PROCEDURE_CODES = st.one_of(st.sampled_from([
    "9.999999", " 1.004884", "1.004884 ", "1.004884\n", "１.004884", "1,004884", "x" * 40, "x" * 41, "",
    nfd("thủ tục"), "1.004884'; --"]), OTHER_TYPES)
MOMENTS = st.one_of(st.sampled_from([
    "0001-01-01T00:00:00+00:00", "0001-01-01T00:00:00+14:00", "0001-01-01T00:00:00-12:00",
    "0001-01-01T06:59:59+00:00", "0001-01-01T07:00:00+00:00", "9999-12-31T23:59:59+00:00",
    "9999-12-31T23:59:59-14:00", "9999-12-31T23:59:59.999999+14:00", "2024-02-29T09:00:00+07:00",
    "2023-02-29T09:00:00+07:00", "2020-02-29T23:59:59-12:00", "2016-12-31T23:59:60Z", "2026-01-01T24:00:00+07:00",
    "2025-06-30T23:59:59+07:00", "2025-07-01T00:00:00+07:00", "2026-01-01T09:00:00", "2026-01-01",
    "2026-01-01T09:00:00+25:00", "2026-01-01T09:00:00+07:00[Asia/Ho_Chi_Minh]", "", "now"]),
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59),
                 timezones=st.sampled_from([timezone.utc, VN, timezone(timedelta(hours=-12)),
                                            timezone(timedelta(hours=14))])).map(datetime.isoformat),
    OTHER_TYPES)


def documents() -> st.SearchStrategy:
    document = st.fixed_dictionaries({"name": texts(300), "count": st.integers(1, 100),
                                      "copy_type": st.sampled_from(("original", "copy", "electronic"))})
    one = {"name": "Tờ khai", "copy_type": "original", "count": 1}
    return st.one_of(
        st.just([]), st.just([one] * 50), st.just([one] * 51), st.just([one] * 500),
        st.lists(document, min_size=1, max_size=4),
        st.sampled_from([[{**one, "count": v}] for v in (0, 101, 1.5, "1", True, None, -1, 10 ** 30)]),
        st.sampled_from([[{**one, "copy_type": v}] for v in ("ORIGINAL", "bản chính", "", None, 1)]),
        st.sampled_from([[{**one, "extra": 1}], [{"name": "Tờ khai"}], [one, "Tờ khai"], [[one]], {"0": one},
                         "Tờ khai", [None], [{"name": {"name": "Tờ khai"}, "copy_type": "copy"}]]),
        OTHER_TYPES,
    )


def nested(depth: int) -> dict:
    value: object = "Lò Văn Hùng"
    for _ in range(depth):
        value = {"a": value}
    return value


# Each mutation: where in the body, and what goes there (DELETE removes the field).
FIELDS = {
    ("applicant", "full_name"): texts(200), ("applicant", "address"): texts(500),
    ("delivery_address",): texts(500), ("documents", 0, "name"): texts(300),
    ("applicant", "id_number"): ID_NUMBERS, ("applicant", "phone"): PHONES, ("applicant", "email"): EMAILS,
    ("receiving_unit",): UNIT_CODES, ("competent_unit",): UNIT_CODES, ("procedure_code",): PROCEDURE_CODES,
    ("received_at",): MOMENTS, ("documents",): documents(),
    ("channel",): st.one_of(st.sampled_from(("counter", "online", "postal", "COUNTER", "email", "")), OTHER_TYPES),
    ("return_method",): st.one_of(st.sampled_from(("counter", "online", "postal", "Online")), OTHER_TYPES),
    ("status",): st.one_of(st.sampled_from(("received", "submitted", "refused", "processing")), OTHER_TYPES),
    ("applicant",): st.one_of(st.sampled_from([{}, [], "Lò Văn Hùng", nested(3), nested(40)]), OTHER_TYPES),
    ("applicant", "nickname"): st.sampled_from(("Hùng", None)), ("fee_vnd",): st.sampled_from((0, "0")),
    ("applicant", "full_name", "vi"): st.just("Hùng"),  # a key inside a string: the string becomes an object
}


def mutations() -> st.SearchStrategy:
    one = st.sampled_from(sorted(FIELDS, key=str)).flatmap(
        lambda path: st.tuples(st.just(path), st.one_of(FIELDS[path], st.just(DELETE))
                               if len(path) > 1 or path[0] != "applicant" else FIELDS[path]))
    # Mostly one change, so that a hostile value is not hidden behind another change's refusal.
    return st.sampled_from((1, 1, 1, 2, 3)).flatmap(
        lambda n: st.lists(one, min_size=n, max_size=n, unique_by=lambda m: m[0]))


@st.composite
def cases(draw) -> tuple[dict, list]:
    """A valid submission and the changes to it. Only an administrator's import gets past the role check
    with a `received_at`, so half of those change that date: the calendar's ends are reached that way."""
    submission = draw(valid_submissions())
    changes = draw(mutations())
    if submission["role"] == "admin" and draw(st.booleans()):
        changes = [(("received_at",), draw(MOMENTS)), *(c for c in changes if c[0] != ("received_at",))]
    return submission, changes


def apply(body: dict, path: tuple, value) -> None:
    """Put `value` at `path`. A missing object, or a string, on the way becomes an object (so a key inside
    the applicant's name makes the name an object); a document an earlier mutation removed is left alone."""
    target = body
    for key in path[:-1]:
        if isinstance(target, dict) and not isinstance(target.get(key), (dict, list)):
            target[key] = {}
        elif isinstance(target, list) and not (isinstance(key, int) and key < len(target)
                                               and isinstance(target[key], dict)):
            return
        target = target[key]
    if not isinstance(target, dict):
        return
    if value is DELETE:
        target.pop(path[-1], None)
    else:
        target[path[-1]] = copy.deepcopy(value)


def pinned(path: tuple, value, role: str = "receptionist") -> tuple[dict, list]:
    """One change to the body the intake tests use (tests/intake/support.py): the cases fuzzing found."""
    body = {"procedure_code": "1.004884", "channel": "counter", "receiving_unit": "04222",
            "applicant": {"full_name": "Lò Văn Hùng", "id_number": "014090001234", "phone": "0912345678",
                          "email": "hung@example.vn", "address": "Bản Hưng Mai, xã Chiềng Khương"},
            "return_method": "counter",
            "documents": [{"name": "Tờ khai đăng ký lại khai sinh", "copy_type": "original", "count": 1}]}
    if role == "admin":
        body["received_at"] = (NOW - timedelta(days=3)).isoformat()
    submission = {"body": body, "role": role, "unit": "04222" if role == "receptionist" else None,
                  "sub": f"fuzz-{role}"}
    return submission, [(path, value)]


# -- what intake promises ----------------------------------------------------------------------------
def as_stored(text: str) -> str:
    """shared/motcua_shared/web/fields.py Text: trimmed, then NFC."""
    return unicodedata.normalize("NFC", text.strip())


def assert_problem(answer) -> dict:
    assert answer.status_code < 500, (answer.status_code, answer.get_data(as_text=True)[:2000])
    assert answer.mimetype == PROBLEM_CONTENT_TYPE, (answer.status_code, answer.mimetype, answer.get_data()[:500])
    problem = answer.get_json()
    assert isinstance(problem.get("code"), str) and problem["code"], problem
    assert problem.get("status") == answer.status_code, problem
    return problem


def assert_round_trip(sent: dict, detail: dict) -> None:
    applicant = sent["applicant"]
    stored = detail["applicant"]
    assert stored["full_name"] == as_stored(applicant["full_name"]) == detail["applicant_name"]
    assert stored["address"] == (None if applicant.get("address") is None else as_stored(applicant["address"]))
    for key in ("id_number", "phone", "email"):
        assert stored[key] == applicant.get(key), key
    # The documented patterns are ECMA regular expressions: ASCII digits, and `$` is the end.
    assert re.fullmatch(r"[0-9]{12}|[0-9]{9}", stored["id_number"]), stored["id_number"]
    assert stored["phone"] is None or re.fullmatch(r"(0|\+84)[35789][0-9]{8}", stored["phone"]), stored["phone"]
    delivery = sent.get("delivery_address")
    assert detail["delivery_address"] == (None if delivery is None else as_stored(delivery))
    assert detail["documents"] == [{"name": as_stored(d["name"]), "copy_type": d["copy_type"],
                                    "count": d.get("count", 1)} for d in sent.get("documents", [])]
    assert detail["procedure"]["code"] == sent["procedure_code"]
    assert detail["receiving_unit"]["code"] == sent["receiving_unit"]
    assert detail["competent_unit"]["code"] == (sent.get("competent_unit") or sent["receiving_unit"])
    assert (detail["channel"], detail["return_method"]) == (sent["channel"], sent["return_method"])
    for text in (stored["full_name"], stored["address"], detail["delivery_address"],
                 *(d["name"] for d in detail["documents"])):
        # Text fields refuse control and invisible format characters; what is kept is what the forms print.
        assert text is None or not [c for c in text if unicodedata.category(c) in ("Cc", "Cf") and c not in "\t\n\r"], text


def assert_receipt(answer, detail: dict) -> None:
    if detail["status"] == "submitted":
        assert answer.status_code == 409 and assert_problem(answer)["code"] == "not_received"
        return
    assert answer.status_code == 200, answer.get_data(as_text=True)[:500]
    assert answer.mimetype == "text/html"
    page = answer.get_data(as_text=True)
    name = detail["applicant"]["full_name"]
    assert f"Ông/Bà: <b>{escape(name)}</b>" in page
    if any(c in name for c in "<>&\"'"):
        assert f"<b>{name}</b>" not in page


@pytest.mark.timeout(900)
def test_hostile_fields_in_a_valid_submission(system):
    intake = system.client("intake")
    reader = system.auth("admin", unit="14", sub="fuzz-reader")  # the province's: reads every dossier
    counts = {"accepted": 0, "refused": 0}
    outcomes, reasons = Counter(), Counter()

    def stored() -> dict:
        return {table: system.count("intake", table) for table in TABLES}

    @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None, print_blob=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                     HealthCheck.data_too_large, HealthCheck.large_base_example])
    @given(case=cases())
    @example(case=pinned(("applicant", "id_number"), "014090001234\n"))  # overflowed its column: 500
    @example(case=pinned(("applicant", "id_number"), "٠١٤٠٩٠٠٠١٢٣٤"))  # stored, never found by a lookup
    @example(case=pinned(("applicant", "phone"), "0912345678\n"))
    @example(case=pinned(("applicant", "full_name"), "ß" * 200))  # folded to 400 characters: 500
    @example(case=pinned(("received_at",), "0001-01-01T00:00:00+14:00", role="admin"))  # before year 1 in UTC
    @example(case=pinned(("received_at",), "9999-12-31T23:59:59-14:00", role="admin"))  # after 9999 in UTC
    @example(case=pinned(("applicant", "full_name"), "<b>Lò</b> & 'Hùng' \"Tải\""))
    @example(case=pinned(("documents", 0, "name"), "  " + nfd(VIETNAMESE) + "\u200b"))
    def check(case):
        submission, changes = case
        body = copy.deepcopy(submission["body"])
        for path, value in changes:
            apply(body, path, value)
        note(f"role={submission['role']} unit={submission['unit']} body={json.dumps(body, ensure_ascii=True)[:3000]}")
        before = stored()
        answer = intake.post("/api/v1/dossiers", json=body, headers=system.auth(
            submission["role"], unit=submission["unit"], sub=submission["sub"]))
        after = stored()
        for path, _ in changes:  # how often each field's changes got through, printed at the end (-s)
            outcomes[".".join(map(str, path)), answer.status_code == 201] += 1
        if answer.status_code != 201 and len(changes) == 1:
            problem = answer.get_json()
            reasons[".".join(map(str, changes[0][0])), (problem.get("invalid_params") or [problem])[0]["code"]] += 1
        if answer.status_code != 201:
            assert_problem(answer)
            assert after == before, f"{answer.status_code} {answer.get_json()} but stored {before} → {after}"
            counts["refused"] += 1
            return
        counts["accepted"] += 1
        assert after == {table: count + 1 for table, count in before.items()}, (before, after)
        code = answer.get_json()["code"]
        detail = intake.get(f"/api/v1/dossiers/{code}", headers=reader)
        assert detail.status_code == 200, detail.get_json()
        assert_round_trip(body, detail.get_json())
        assert_receipt(intake.get(f"/api/v1/dossiers/{code}/receipt", headers=reader), detail.get_json())

    check()
    # The point of starting from valid bodies: a real share of examples reaches the database.
    assert counts["accepted"] >= EXAMPLES // 10, counts
    print(f"\ndossier field fuzzing: {counts}")
    for path in sorted({path for path, _ in outcomes}):
        why = ", ".join(f"{code}×{n}" for (p, code), n in reasons.most_common() if p == path)
        print(f"  {path:<24} accepted {outcomes[path, True]:>4}, refused {outcomes[path, False]:>4}  {why}")
