"""The citizen is told of the agency's stop (with its ground and reason, and the notice attached), of a
financial obligation asked for (the amount and what it is for) and of its payment recorded (the receipt
and the appointment moved), by SMS and e-mail, through the service's own handlers and delivery."""
from __future__ import annotations

from datetime import timedelta

from motcua_shared.events.catalogue import payment, stop

from notification.support import EMAIL, PUBLIC, Events, local as wording

PHONE_E164 = "+84912345678"
REASON = "Thửa đất đang có tranh chấp, Tòa án nhân dân huyện đã thụ lý vụ án."


def test_the_stop_and_the_payment_reach_the_citizen(local, gateway, mail):
    service = local()
    ev = Events()
    link = f"{PUBLIC}/tra-cuu?ma={ev.code}"
    asked = ev._change(payment.DOSSIER_PAYMENT_REQUESTED, 2, obligation="charge", amount_vnd=500000,
                       purpose="Lệ phí trước bạ nhà, đất")
    new_due = ev.due_at + timedelta(days=1)
    paid = ev._change(payment.DOSSIER_PAID, 3, amount_vnd=500000, method="cash", online=0, receipt_number="BL-0001234",
                      paused_from=ev.at(2), due_at=new_due.isoformat())
    stopped = ev._change(stop.DOSSIER_STOPPED, 4, ground="court_proceedings", reason=REASON, unit="04222")
    service.handle(ev.received(), asked, paid, stopped)
    service.deliver()
    texts = gateway.texts_to(PHONE_E164)
    assert len(texts) == 4 and len(mail.to(EMAIL)) == 4
    assert texts[1] == (f"Ho so {ev.code}: de nghi Ong/Ba nop 500.000 dong (Le phi truoc ba nha, dat) de tiep tuc "
                        f"giai quyet. Tra cuu: {link}")
    assert texts[2] == (f"Ho so {ev.code}: da nhan 500.000 dong, bien lai BL-0001234. Hen tra ket qua: "
                        f"{wording(new_due).replace('ngày', 'ngay')}. Tra cuu: {link}")
    assert texts[3] == (f"Ho so {ev.code} da bi dung giai quyet. Ly do: xem thong bao dung giai quyet hoac lien he "
                        f"UBND xa Chieng Khuong. Tra cuu: {link}")

    mails = {m.subject: m for m in mail.to(EMAIL)}
    notice = mails[f"Thông báo dừng giải quyết hồ sơ {ev.code}"]
    assert "Căn cứ: Vụ việc đang được Tòa án hoặc cơ quan có thẩm quyền giải quyết." in notice.text
    assert f"Lý do: {REASON}" in notice.text and "Trạng thái: Dừng xử lý." in notice.text
    assert f"UBND xã Chiềng Khương thông báo dừng giải quyết hồ sơ số {ev.code}" in notice.text
    # A long encoded subject comes back from the catcher folded: compared without its spaces.
    asked_mail = next(m for subject, m in mails.items()
                      if subject.replace(" ", "") == f"Hồsơ{ev.code}:yêucầuthựchiệnnghĩavụtàichính")
    assert "Số tiền: 500.000 đồng." in asked_mail.text
    assert "Khoản phải nộp: Lệ phí trước bạ nhà, đất." in asked_mail.text
    paid_mail = mails[f"Hồ sơ {ev.code}: đã ghi nhận nộp 500.000 đồng"]
    assert f"Thời gian hẹn trả kết quả: {wording(new_due)}." in paid_mail.text
