"""From the broker to the citizen's phone and mailbox, through the real worker, a real SMTP server and
a real HTTP SMS gateway: the right Vietnamese text for each event, once, whatever the broker does."""
from __future__ import annotations

import unicodedata
from datetime import timedelta

from motcua_testing.waiting import wait_for
from notification.support import EMAIL, PUBLIC, Events, local

PHONE_E164 = "+84912345678"


def unaccented(text: str) -> str:
    """The unaccented form an SMS must carry, written here independently of the code under test."""
    return "".join(c for c in unicodedata.normalize("NFD", text.translate(str.maketrans("đĐ", "dD")))
                   if not unicodedata.combining(c))


def nfc(text: str) -> bool:
    return text == unicodedata.normalize("NFC", text)


def test_every_citizen_facing_event_arrives_as_the_right_sms_and_email(notification, gateway, mail):
    notification.start()
    ev = Events()
    link = f"{PUBLIC}/tra-cuu?ma={ev.code}"
    sequence = [ev.received(), ev.supplement_requested(), ev.supplement_received(), ev.apology(), ev.processed(),
                ev.shipment_created(), ev.shipment_progressed(), ev.returned(), ev.refused(), ev.redirected(),
                ev.withdrawn()]
    online = Events(phone="0987654321", email="mai@example.vn")
    notification.publish(*sequence, online.submitted())
    wait_for(lambda: len(gateway.texts_to(PHONE_E164)) == len(sequence) and len(mail.to(EMAIL)) == len(sequence)
             and gateway.texts_to("+84987654321") and mail.to("mai@example.vn"),
             what="one SMS and one e-mail per event")

    due, new_due = local(ev.due_at), local(ev.due_at + timedelta(days=2))
    texts = gateway.texts_to(PHONE_E164)
    for expected in (
        f"Ho so {ev.code} da duoc tiep nhan. Hen tra ket qua: {unaccented(due)}. Tra cuu: {link}",
        f"Ho so {ev.code} can bo sung giay to. De nghi Ong/Ba xem huong dan va bo sung tai UBND xa Chieng Khuong. "
        f"Tra cuu: {link}",
        f"Ho so {ev.code} chua the tra ket qua dung hen. UBND xa Chieng Khuong xin loi Ong/Ba va hen lai: "
        f"{unaccented(new_due)}. Tra cuu: {link}",
        f"Ho so {ev.code} da co ket qua. Moi Ong/Ba den nhan tai UBND xa Chieng Khuong. Tra cuu: {link}",
        f"Ho so {ev.code}: buu dien da nhan ket qua va dang chuyen den Ong/Ba. Ma buu gui EB123456789VN. "
        f"Tra cuu: {link}",
        f"Ho so {ev.code} khong thuoc tham quyen cua UBND xa Chieng Khuong. De nghi Ong/Ba nop tai UBND tinh Son La. "
        f"Tra cuu: {link}",
    ):
        assert expected in texts, f"missing SMS {expected!r}; got {texts}"
    for text in texts:
        assert text.isascii() and text.startswith(f"Ho so {ev.code}") and text.endswith(link)
        assert "Lo Van Hung" not in text and "0912345678" not in text and "Ban Hung Mai" not in text

    mails = {m.subject: m for m in mail.to(EMAIL)}
    received = mails[f"Hồ sơ {ev.code} đã được tiếp nhận, hẹn trả kết quả {due}"]
    assert (f"Hồ sơ số {ev.code} (Thủ tục cấp Giấy xác nhận tình trạng hôn nhân) đã được UBND xã Chiềng Khương "
            f"tiếp nhận lúc {local(ev.received_at)}.") in received.text
    assert "Trạng thái: Đã tiếp nhận." in received.text and f"Thời gian hẹn trả kết quả: {due}." in received.text
    receipt = received.attachments()[f"giay-tiep-nhan-{ev.code}.html"]
    assert "<h1>Giấy tiếp nhận hồ sơ và hẹn trả kết quả</h1>" in receipt and f"<td>{due}</td>" in receipt

    apology = mails[f"Phiếu xin lỗi và hẹn lại ngày trả kết quả - hồ sơ {ev.code}"]
    assert "Lý do: Cần xác minh thêm thông tin." in apology.text
    assert f"Thời gian hẹn trả kết quả mới: {new_due}." in apology.text
    assert f"<td>{new_due}</td>" in apology.attachments()[f"phieu-xin-loi-{ev.code}.html"]
    supplement = mails[f"Hồ sơ {ev.code} cần bổ sung, hoàn thiện"]
    assert "- Bản sao Giấy khai sinh" in supplement.text and "<li>Bản sao Giấy khai sinh</li>" in supplement.html
    assert f"phieu-yeu-cau-bo-sung-{ev.code}.html" in supplement.attachments()
    refused = mails[f"Hồ sơ {ev.code} không được tiếp nhận giải quyết"]
    assert "Lý do: Hồ sơ không thuộc trường hợp được giải quyết." in refused.text
    assert f"phieu-tu-choi-{ev.code}.html" in refused.attachments()
    assert f"Hồ sơ {ev.code}: đề nghị nộp tại UBND tỉnh Sơn La" in mails
    assert f"Hồ sơ {ev.code} đã có kết quả" in mails and f"Hồ sơ {ev.code} đã được rút" in mails

    assert gateway.texts_to("+84987654321") == [f"Ho so {online.code} da duoc gui den UBND xa Chieng Khuong, dang "
                                                f"cho tiep nhan. Tra cuu: {PUBLIC}/tra-cuu?ma={online.code}"]
    [acknowledgement] = mail.to("mai@example.vn")
    assert acknowledgement.subject == f"Hồ sơ {online.code} đã được gửi, đang chờ tiếp nhận"
    assert "đã được gửi trực tuyến đến UBND xã Chiềng Khương" in acknowledgement.text

    for m in mails.values():
        headers = m.raw.split(b"\r\n\r\n", 1)[0]
        assert b"Subject: =?utf-8?" in headers  # RFC 2047 encoded words, not raw UTF-8 in a header
        assert nfc(m.subject) and nfc(m.text) and nfc(m.html)
        assert m.text.startswith("Kính gửi Ông/Bà,") and "Trạng thái" in m.text and link in m.text
        assert "Lò Văn Hùng" not in m.text and "0912345678" not in m.text and "Bản Hưng Mai" not in m.text
        assert m.parsed["List-Unsubscribe"].startswith("<http") and m.parsed["Auto-Submitted"] == "auto-generated"


def test_the_same_event_delivered_three_times_gives_one_sms_and_one_email(notification, gateway, mail):
    notification.start(LOG_LEVEL="DEBUG")
    ev = Events()
    received, _ = event = ev.received()
    notification.publish(event, times=3)  # the same event id, three times, through the broker
    wait_for(lambda: gateway.texts_to(PHONE_E164) and mail.to(EMAIL), what="the first delivery")
    notification.publish(event, times=2)  # and again after its messages went out

    def handled():
        lines = [line for line in notification.system.processes.log("notification-worker").splitlines()
                 if '"event_handled"' in line and received.id in line]
        return lines if len(lines) == 5 else None

    lines = wait_for(handled, what="the five deliveries to be consumed")
    assert sum('"outcome": "processed"' in line for line in lines) == 1
    assert sum('"outcome": "duplicate"' in line for line in lines) == 4
    assert len(gateway.requests) == 1 and len(mail.mails) == 1
    assert sorted((r["channel"], r["status"]) for r in notification.rows(ev.code)) == [
        ("email", "delivered"), ("sms", "delivered")]
    log = notification.system.processes.log("notification-worker")  # at DEBUG: nothing about the person
    assert '"message_sent"' in log
    assert "Lò Văn Hùng" not in log and "912345678" not in log and EMAIL not in log and "h***" not in log


def test_an_event_that_comes_before_the_contact_waits_for_it_and_is_sent_in_order(local, gateway, mail):
    service = local()
    ev = Events()
    service.handle(ev.shipment_progressed("delivered"), ev.apology())
    assert {n["status"] for n in service.notices(ev.code)} == {"awaiting_contact"}
    assert service.rows(ev.code) == []
    service.handle(ev.received())
    service.deliver()
    texts = gateway.texts_to(PHONE_E164)
    # In the order things happened, not the order they arrived: received, the apology, the delivery.
    assert len(texts) == 3 and len(mail.to(EMAIL)) == 3
    assert "da duoc tiep nhan" in texts[0] and "xin loi" in texts[1] and "da giao ket qua" in texts[2]
    assert {n["status"] for n in service.notices(ev.code)} == {"addressed"}
