"""Pure parts of intake: the keyed identity hash, the QR symbol, dates of the forms, the control log's
timeliness and the status machine's table."""
from __future__ import annotations

import pytest

from motcua_shared.statuses import STATUSES

from motcua_intake.forms import qr, vietnamese
from motcua_intake.forms.handovers import timeliness
from motcua_intake.identity import IdentityHasher
from motcua_intake.lifecycle import TRANSITIONS

from intake.support import at


def test_identity_numbers_are_compared_only_through_a_keyed_hash():
    hasher = IdentityHasher("a-key-of-at-least-sixteen")
    digest = hasher.digest("014090001234")
    assert "014090001234" not in digest and len(digest) == 64
    assert hasher.matches(digest, "014090001234")
    assert not hasher.matches(digest, "014090001235")
    assert not hasher.matches(None, "014090001234")  # no dossier never matches
    assert IdentityHasher("another-key-sixteen-chars").digest("014090001234") != digest
    with pytest.raises(ValueError):
        IdentityHasher("short")


def test_the_qr_symbol_draws_exactly_the_modules_of_the_dossier_code():
    code = "H52.04222-260423-0001"
    modules = qr.matrix(code)
    svg = str(qr.svg(code))
    assert svg.startswith("<svg") and 'aria-label="Mã QR của hồ sơ H52.04222-260423-0001"' in svg
    drawn = [[False] * len(modules) for _ in modules]
    for run in svg.split('d="')[1].split('"')[0].split("z")[:-1]:
        x, y = (int(n) for n in run[1:].split("h")[0].split())
        length = int(run.split("h")[1].split("v")[0])
        for dx in range(length):
            drawn[y][x + dx] = True
    assert drawn == [list(row) for row in modules]
    # The quiet zone the standard asks for is white.
    assert not any(modules[0]) and not any(row[0] for row in modules)


def test_dates_are_written_the_vietnamese_way():
    assert vietnamese.clock(at("2026-05-05 09:00")) == "09 giờ 00 phút, ngày 05 tháng 05 năm 2026"
    assert vietnamese.short(at("2026-05-05 17:00")) == "17:00 05/05/2026"
    assert vietnamese.money(1_000_000) == "1.000.000 đồng" and vietnamese.money(0) == "Miễn lệ phí"


@pytest.mark.parametrize("done,expected", [
    ("2026-05-04 16:59", "Trước hạn"), ("2026-05-05 08:00", "Đúng hạn"), ("2026-05-05 09:00", "Đúng hạn"),
    ("2026-05-05 09:01", "Quá hạn"),
])
def test_the_control_log_judges_the_result_against_the_appointment(done, expected):
    assert timeliness(at(done), at("2026-05-05 09:00")) == expected


def test_every_transition_leads_to_a_contract_status_and_starts_from_one():
    for transition in TRANSITIONS.values():
        assert transition.target in STATUSES
        assert all(source.split(":")[0] in STATUSES for source in transition.sources)
    # Nothing leaves a final status.
    finals = {"refused", "stopped", "returned"}
    assert not any(source in finals for t in TRANSITIONS.values() for source in t.sources)
