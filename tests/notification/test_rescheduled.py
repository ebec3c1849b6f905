"""A declared day off moved a dossier's appointment (`vn.motcua.dossier.rescheduled`): the citizen is told
the new appointment by SMS and e-mail; a historical dossier is never told (docs/calendar.md)."""
from __future__ import annotations

import dataclasses
from datetime import timedelta

from motcua_shared.events.catalogue.reschedule import DOSSIER_RESCHEDULED

from notification.support import EMAIL, Events, local as wording_of

PHONE_E164 = "+84912345678"


def test_the_citizen_is_told_the_new_appointment_and_a_historical_dossier_is_not(local, gateway, mail):
    service = local()
    live, past = Events(), Events()
    new_due = live.due_at + timedelta(days=1)

    def moved(ev: Events):
        return ev._change(DOSSIER_RESCHEDULED, 3, day="2031-03-11", note="Nghỉ theo Quyết định 12/QĐ-UBND tỉnh",
                          previous_due_at=ev.due_at.isoformat(), due_at=(ev.due_at + timedelta(days=1)).isoformat())

    event, producer = past.received()
    historical = (dataclasses.replace(event, data={**event.data, "historical": True}), producer)
    service.handle(live.received(), moved(live), historical, moved(past))
    service.deliver()
    service.sweep(service.now)

    texts = [t for t in gateway.texts_to(PHONE_E164) if "hen tra ket qua moi" in t]
    assert len(texts) == 1 and live.code in texts[0] and "ngay 11/03/2031 duoc cong bo la ngay nghi" in texts[0]
    [mail_sent] = [m for m in mail.to(EMAIL) if m.subject == f"Hồ sơ {live.code}: hẹn trả kết quả mới {wording_of(new_due)}"]
    assert f"Thời gian hẹn trả kết quả mới: {wording_of(new_due)}." in mail_sent.text
    assert f"Thời gian hẹn trả kết quả trước đây: {wording_of(live.due_at)}." in mail_sent.text
    assert "Nghỉ theo Quyết định 12/QĐ-UBND tỉnh" in mail_sent.text
    assert service.rows(past.code) == []
