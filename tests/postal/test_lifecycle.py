"""The status machine alone: whatever the order and repetition of the reports, the shipment ends in
the highest-ranked status reported, and an end once reached is never left."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from motcua_postal import lifecycle

REPORTS = st.lists(st.sampled_from(["accepted", "picked_up", "failed", "delivered"]), min_size=1, max_size=12)


def final(reports: list[str], start: str = "requested") -> str:
    status = start
    for reported in reports:
        if lifecycle.advances(status, reported):
            status = reported
    return status


@given(REPORTS, st.randoms())
def test_any_order_of_the_same_reports_ends_in_the_same_status(reports, random):
    shuffled = list(reports)
    random.shuffle(shuffled)
    assert final(shuffled) == final(reports) == max(reports, key=lifecycle.RANK.__getitem__)


@given(REPORTS)
def test_an_end_is_never_left(reports):
    for end in lifecycle.ENDS:
        assert final(reports, start=end) == end


def test_a_cancellable_shipment_is_one_nothing_has_left():
    assert lifecycle.CANCELLABLE == {s for s, rank in lifecycle.RANK.items() if rank < lifecycle.RANK["picked_up"]}
