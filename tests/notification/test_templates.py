"""The templates themselves, without infrastructure: every version renders for SMS and e-mail, SMS are
readable unaccented GSM-7 that fit in two segments, e-mails are correct NFC Vietnamese, and a
published version never changes (a change of wording is a new version)."""
from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import asdict
from pathlib import Path

import pytest
from jinja2 import UndefinedError

from motcua_notification import templates
from motcua_notification.notice_drafts import DRAFTERS
from motcua_notification.templates.sms import encoding, fold_to_gsm

FINGERPRINTS = Path(__file__).with_name("template_versions.json")
PUBLIC = "https://dichvucong.sonla.gov.vn"
VERSIONS = [(t, v) for t in templates.TEMPLATES.values() for v in t.versions]
IDS = [f"{t.key}-v{v.number}" for t, v in VERSIONS]


def values(template) -> dict:
    return {**template.sample, "link": templates.lookup_link(PUBLIC, template.sample["code"])}


def fingerprint(version) -> str:
    return hashlib.sha256(json.dumps(asdict(version), sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def test_every_event_the_service_handles_has_a_template_and_every_template_an_event():
    assert {t.event_type for t in templates.TEMPLATES.values()} == set(DRAFTERS)


@pytest.mark.parametrize("template,version", VERSIONS, ids=IDS)
def test_sms_are_unaccented_gsm7_with_the_code_and_the_link(template, version):
    sms = templates.render_sms(version, values(template))
    assert sms.encoding == "GSM-7" and sms.text.isascii() and sms.segments <= 2
    assert sms.text.startswith(f"Ho so {template.sample['code']}") and sms.text.endswith(values(template)["link"])
    assert "  " not in sms.text and "\n" not in sms.text
    if template.urgent:  # what the citizen waits for at the desk costs one segment
        assert sms.segments == 1


@pytest.mark.parametrize("template,version", VERSIONS, ids=IDS)
def test_emails_are_nfc_vietnamese_with_status_link_and_notice(template, version):
    mail = templates.render_email(version, values(template), unsubscribe_url="https://x.vn/api/v1/unsubscribe?t=k")
    for text in (mail.subject, mail.text, mail.html):
        assert text == unicodedata.normalize("NFC", text)
    assert template.sample["code"] in mail.subject and "\n" not in mail.subject
    assert mail.text.startswith("Kính gửi Ông/Bà,\n") and "Trạng thái" in mail.text
    assert f"Tra cứu tình trạng hồ sơ: {values(template)['link']}" in mail.text
    assert f'<a href="{values(template)["link"]}">' in mail.html and "https://x.vn/api/v1/unsubscribe?t=k" in mail.text
    assert (mail.attachment is not None) == (version.attachment is not None)
    if mail.attachment:
        assert mail.attachment.filename.isascii() and mail.attachment.filename.endswith(".html")
        assert '<meta charset="utf-8">' in mail.attachment.content
        assert version.attachment.title in mail.attachment.content


def test_text_from_officers_is_escaped_in_html_but_kept_in_plain_text():
    template = templates.get("dossier_refused")
    mail = templates.render_email(template.current, {**values(template), "reason": "Thiếu <giấy tờ> & chữ ký"})
    assert "Lý do: Thiếu <giấy tờ> & chữ ký" in mail.text
    assert "Thiếu &lt;giấy tờ&gt; &amp; chữ ký" in mail.html and "<giấy tờ>" not in mail.html
    assert "<giấy tờ>" not in mail.attachment.content


def test_decomposed_input_renders_the_same_as_composed():
    template = templates.get("dossier_refused")
    nfd = {**values(template), "reason": unicodedata.normalize("NFD", "Hồ sơ thiếu chữ ký")}
    assert "Lý do: Hồ sơ thiếu chữ ký" in templates.render_email(template.current, nfd).text


def test_a_missing_value_is_an_error_not_a_gap():
    template = templates.get("dossier_received")
    incomplete = {k: v for k, v in values(template).items() if k != "due_at"}
    with pytest.raises(UndefinedError, match="due_at"):
        templates.render_sms(template.current, incomplete)


@pytest.mark.parametrize("text,folded", [
    ("Hồ sơ đã được tiếp nhận", "Ho so da duoc tiep nhan"),
    ("ĐƯỜNG Ỷ LAN, Đắk Lắk", "DUONG Y LAN, Dak Lak"),
    (unicodedata.normalize("NFD", "Chiềng Khương – “Sông Mã”"), 'Chieng Khuong - "Song Ma"'),
    ("lệ phí 10.000₫", "le phi 10.000?"),
])
def test_folding_keeps_vietnamese_readable(text, folded):
    assert fold_to_gsm(text) == folded


@pytest.mark.parametrize("text,name,units,segments", [
    ("a" * 160, "GSM-7", 160, 1),
    ("a" * 161, "GSM-7", 161, 2),
    ("a" * 306, "GSM-7", 306, 2),
    ("a" * 307, "GSM-7", 307, 3),
    ("[" * 80, "GSM-7", 160, 1),  # extension characters cost two septets
    ("[" * 81, "GSM-7", 162, 2),
    ("ă" * 70, "UCS-2", 70, 1),
    ("ă" * 71, "UCS-2", 71, 2),
    ("ă" * 134, "UCS-2", 134, 2),
    ("ă" * 135, "UCS-2", 135, 3),
])
def test_segments_are_counted_as_operators_bill_them(text, name, units, segments):
    counted = encoding(text)
    assert (counted.name, counted.units, counted.segments) == (name, units, segments)


def test_published_versions_never_change():
    recorded = json.loads(FINGERPRINTS.read_text())
    current = {t.key: {str(v.number): fingerprint(v) for v in t.versions} for t in templates.TEMPLATES.values()}
    for key, versions in current.items():
        assert [v.number for v in templates.get(key).versions] == list(range(1, len(versions) + 1)), key
        for number, digest in versions.items():
            assert recorded.get(key, {}).get(number) == digest, (
                f"{key} v{number}: a published version was edited, or a new one is not recorded. Never edit a "
                f"version: append a new Version, then add its fingerprint to {FINGERPRINTS.name}.")
