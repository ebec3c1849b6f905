"""The message templates notification ships, for administrators: the list, each template's versions, and
a preview of what a citizen receives by SMS and by e-mail, the e-mail's HTML shown only as text."""
from __future__ import annotations

from motcua_notification.templates import TEMPLATES
from motcua_testing.system import System

from console.support import page


def _admin(console):
    return console.signed_in("admin", unit="14", username="quan-tri")


def test_the_list_shows_every_template_notification_ships(console):
    soup = page(_admin(console).get("/quan-tri/mau-tin-nhan"))
    rows = {row["data-key"]: row for row in soup.select("tr[data-key]")}
    assert set(rows) == set(TEMPLATES)
    received = rows["dossier_received"]
    assert TEMPLATES["dossier_received"].title in received.get_text()
    assert "Hồ sơ được tiếp nhận" in received.get_text()
    assert received.find("a")["href"] == "/quan-tri/mau-tin-nhan/dossier_received"
    assert soup.select_one('nav .tabs a[aria-current="page"]').get_text() == "Mẫu tin nhắn"


def test_a_template_shows_its_versions_and_both_previews_in_vietnamese(console):
    template = TEMPLATES["dossier_received"]
    soup = page(_admin(console).get("/quan-tri/mau-tin-nhan/dossier_received"))
    assert template.title in soup.h1.get_text()
    sms = soup.select_one('#xem-truoc-sms')
    cost = sms.select_one('[data-preview="sms-cost"]').get_text()
    direct = console.services["notification"].test_client().post(
        "/api/v1/templates/dossier_received/preview", json={"channel": "sms"},
        headers={"Authorization": f"Bearer {System.token('admin', unit='14')}"}).get_json()["sms"]
    assert sms.select_one('pre[data-preview="sms"]').get_text() == direct["text"]
    assert cost.startswith(f"Tính cước {direct['segments']} tin nhắn · {direct['characters']} ký tự · bảng mã ")
    subject = soup.select_one('[data-preview="email-subject"]').get_text()
    text = soup.select_one('pre[data-preview="email-text"]').get_text()
    assert subject.strip() and "tiếp nhận" in (subject + text).lower() and "Kính gửi Ông/Bà" in text
    assert "vui lòng không trả lời thư này" in text
    versions = [int(v["data-version"]) for v in soup.select("section[data-version]")]
    assert versions == sorted((v.number for v in template.versions), reverse=True)
    assert "Đang dùng" in soup.select_one(f'section[data-version="{template.current.number}"]').get_text()


def test_the_emails_html_is_shown_as_text_never_as_markup(console):
    answer = _admin(console).get("/quan-tri/mau-tin-nhan/dossier_received")
    soup = page(answer)
    html_part = soup.select_one('pre[data-preview="email-html"]')
    shown = html_part.get_text()
    assert shown.lstrip().startswith("<!DOCTYPE html>") and "<a href=" in shown and "style=" in shown
    assert html_part.find_all(True) == []  # inside <pre>: text only, no element of the e-mail
    assert "&lt;a href=" in answer.text and "&lt;body style=" in answer.text
    # Outside the previews, the console's page has its own single <html> and <body>, and no link or
    # inline style that came from the e-mail.
    assert len(soup.find_all("html")) == 1 and len(soup.find_all("body")) == 1
    assert not soup.find_all(style=True)
    links = [a["href"] for a in soup.find_all("a", href=True)]
    assert not [href for href in links if href.startswith("http")], links


def test_an_unknown_template_is_the_404_page(console):
    page(_admin(console).get("/quan-tri/mau-tin-nhan/khong-co"), 404)


def test_a_receptionist_may_not_open_the_templates(console):
    client = console.signed_in("receptionist", unit="04222")
    for url in ("/quan-tri/mau-tin-nhan", "/quan-tri/mau-tin-nhan/dossier_received"):
        answer = client.get(url)
        page(answer, 403)
        assert "Không có quyền truy cập" in answer.text
