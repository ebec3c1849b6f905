"""The channels a citizen chooses at the desk for one dossier's messages: recorded by notification, which
cancels what was waiting on a declined channel; intake's 404 comes first, before anything is sent."""
from __future__ import annotations

from sqlalchemy import select

from motcua_shared.events import parse

from motcua_intake.models import outbox as intake_outbox
from motcua_notification.handlers import handlers
from motcua_notification.models import channel_choices
from motcua_notification.options import Options

from console.desk_support import UNIT, headers, receive
from console.support import page, post_form


def _notified(console, code: str) -> None:
    """intake's events about the dossier, handled by notification exactly as its consumer would (one
    transaction each), without the broker: notification now knows the citizen and has messages waiting."""
    intake = console.services["intake"].extensions["motcua"]
    notification = console.services["notification"].extensions["motcua"]
    with intake.engine.connect() as conn:
        bodies = [row.body for row in conn.execute(select(intake_outbox.c.body).order_by(intake_outbox.c.id))]
    events = [event for event in map(parse, bodies) if event.subject == code]
    assert events
    handle = handlers(notification.settings, Options.from_settings(notification.settings))
    for event in events:
        if event.type in handle:
            with notification.sessions.begin() as session:
                handle[event.type](session, event)


def _rows(console, table, code: str) -> list[dict]:
    notification = console.services["notification"].extensions["motcua"]
    with notification.engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(table).where(table.c.dossier_code == code)).mappings()]


def _messages(console, code: str) -> list[dict]:
    answer = console.services["notification"].test_client().get(f"/api/v1/dossiers/{code}/messages",
                                                                headers=headers("receptionist"))
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()["messages"]


def test_only_sms_is_recorded_and_the_waiting_email_cancelled(console):
    code = receive(console)
    _notified(console, code)
    assert {m["channel"] for m in _messages(console, code)} == {"sms", "email"}
    client = console.signed_in("receptionist", unit=UNIT)

    dossier_page = page(client.get(f"/ho-so/{code}"))
    url = f"/ho-so/{code}/kenh-thong-bao"
    assert url in [a["href"] for a in dossier_page.select("ul.tasks a")]
    form = page(client.get(url))
    assert "tin nhắn đang chờ gửi qua kênh bỏ chọn sẽ bị hủy" in form.get_text()
    assert form.find("input", attrs={"name": "kenh", "value": "sms"}).has_attr("checked")
    assert form.find("input", attrs={"name": "kenh", "value": "email"}).has_attr("checked")

    answer = post_form(client, url, {"kenh": "sms"})
    assert answer.status_code == 303, answer.text[:2000]
    assert answer.headers["Location"] == f"/ho-so/{code}"
    banner = page(client.get(answer.headers["Location"])).select_one(".banner").get_text()
    assert "Tin nhắn SMS" in banner and "Thư điện tử" not in banner
    assert "Đã hủy 1 tin nhắn đang chờ gửi" in banner

    [choice] = _rows(console, channel_choices, code)
    assert (choice["sms"], choice["email"]) == (True, False)
    statuses = {m["channel"]: m["status"] for m in _messages(console, code)}
    assert statuses == {"sms": "created", "email": "cancelled"}


def test_no_channel_at_all_must_be_confirmed_and_keeps_what_was_typed(console):
    code = receive(console)
    _notified(console, code)
    client = console.signed_in("receptionist", unit=UNIT)
    url = f"/ho-so/{code}/kenh-thong-bao"
    soup = page(post_form(client, url, {}), 400)
    assert soup.select_one("#f-kenh-loi")
    assert not soup.find("input", attrs={"name": "kenh", "value": "sms"}).has_attr("checked")
    assert _rows(console, channel_choices, code) == []

    assert post_form(client, url, {"khong_nhan": "co"}).status_code == 303
    [choice] = _rows(console, channel_choices, code)
    assert (choice["sms"], choice["email"]) == (False, False)


def test_a_dossier_notification_has_not_heard_of_yet_is_said_on_the_form(console):
    code = receive(console)  # no broker: notification has not received the dossier's events
    client = console.signed_in("receptionist", unit=UNIT)
    soup = page(post_form(client, f"/ho-so/{code}/kenh-thong-bao", {"kenh": "email"}), 409)
    assert "chưa nhận được thông tin về hồ sơ này" in soup.select_one(".error-summary").get_text()
    assert soup.find("input", attrs={"name": "kenh", "value": "email"}).has_attr("checked")
    assert not soup.find("input", attrs={"name": "kenh", "value": "sms"}).has_attr("checked")


def test_another_communes_dossier_is_the_404_page_and_nothing_is_sent(console):
    code = receive(console, unit="04168")
    _notified(console, code)
    client = console.signed_in("receptionist", unit=UNIT)
    url = f"/ho-so/{code}/kenh-thong-bao"
    page(client.get(url), 404)
    answer = post_form(client, url, {"kenh": "sms"}, form_page="/quay")  # the 404 page has no form
    page(answer, 404)
    assert _rows(console, channel_choices, code) == []
    assert {m["status"] for m in _messages_of_unit(console, code, "04168")} == {"created"}


def _messages_of_unit(console, code: str, unit: str) -> list[dict]:
    answer = console.services["notification"].test_client().get(f"/api/v1/dossiers/{code}/messages",
                                                                headers=headers("receptionist", unit=unit))
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()["messages"]


def test_without_the_csrf_token_nothing_changes(console):
    code = receive(console)
    _notified(console, code)
    client = console.signed_in("receptionist", unit=UNIT)
    url = f"/ho-so/{code}/kenh-thong-bao"
    client.get(url)
    assert client.post(url, data={"kenh": "sms"}).status_code in (400, 403)
    assert _rows(console, channel_choices, code) == []
    assert {m["status"] for m in _messages(console, code)} == {"created"}


def test_a_specialist_may_not_choose_channels(console):
    code = receive(console)
    client = console.signed_in("specialist", unit=UNIT)
    answer = client.get(f"/ho-so/{code}/kenh-thong-bao")
    assert page(answer, 403)
    assert "Không có quyền truy cập" in answer.text
    assert f"/ho-so/{code}/kenh-thong-bao" not in [a["href"] for a in page(client.get(f"/ho-so/{code}"))
                                                   .select("ul.tasks a")]
