"""The dossier page tells an officer when a message was only caught by a development catcher (the
ledger's `accepted_by: dev_sink:...`): "delivered" there means nobody received it."""
from __future__ import annotations

from sqlalchemy import update

from motcua_notification.models import messages

from console.desk_support import UNIT, receive
from console.support import page
from console.test_desk_channels import _notified

NOTE = "hộp thư thử nghiệm: công dân không nhận được"


def test_a_message_caught_by_a_development_sink_is_marked_on_the_dossier_page(console):
    code = receive(console)
    _notified(console, code)
    notification = console.services["notification"].extensions["motcua"]
    with notification.engine.begin() as conn:
        conn.execute(update(messages).where(messages.c.dossier_code == code, messages.c.channel == "email")
                     .values(status="delivered", accepted_by="dev_sink:smtp:mailpit:1025"))
        conn.execute(update(messages).where(messages.c.dossier_code == code, messages.c.channel == "sms")
                     .values(status="delivered", accepted_by="sms:sms.example.vn"))
    client = console.signed_in("receptionist", unit=UNIT)
    rows = page(client.get(f"/ho-so/{code}")).select("section[aria-labelledby=tin-nhan] tbody tr")
    texts = [row.get_text(" ", strip=True) for row in rows]
    assert len(texts) == 2, texts
    assert [NOTE in text for text in texts].count(True) == 1
    assert any("Thư điện tử" in text and NOTE in text for text in texts), texts
