"""The parts every e-mail shares: the footer, the HTML part laid out from the plain text, and the
frame of an attached notice. None of it carries anything about the person."""
from __future__ import annotations

import html
import re

FOOTER = ("Thư này được gửi tự động từ Hệ thống thông tin giải quyết thủ tục hành chính; "
          "vui lòng không trả lời thư này.")
UNSUBSCRIBE = "Ngừng nhận thư thông báo về hồ sơ qua địa chỉ này: {url}"
NOTICE_DISCLAIMER = ("Bản thông báo điện tử gửi kèm thư để Ông/Bà tiện theo dõi; không thay thế văn bản "
                     "có chữ ký, đóng dấu của cơ quan.")

_URL = re.compile(r"https?://[^\s<>\"]+")

_EMAIL_HTML = """<!DOCTYPE html>
<html lang="vi">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title></head>
<body style="font-family: Arial, Helvetica, sans-serif; font-size: 16px; line-height: 1.5; color: #1b1b1b;
max-width: 640px">
{paragraphs}
<hr>
<p style="font-size: 13px; color: #555">{footer}</p>
</body>
</html>
"""

_NOTICE_HTML = """<!DOCTYPE html>
<html lang="vi">
<head><meta charset="utf-8"><title>{title} - {code}</title>
<style>
body {{ font-family: "Times New Roman", serif; font-size: 16px; max-width: 720px; margin: 2em auto; }}
.national {{ text-align: center; font-weight: bold; }}
h1 {{ text-align: center; font-size: 20px; text-transform: uppercase; }}
th {{ text-align: left; padding-right: 1em; vertical-align: top; }}
.note {{ font-size: 13px; color: #555; }}
</style></head>
<body>
<p class="national">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br>Độc lập - Tự do - Hạnh phúc</p>
<p>{issuer}</p>
<h1>{title}</h1>
{body}
<p class="note">{disclaimer}</p>
</body>
</html>
"""


def email_text(body: str, unsubscribe_url: str | None) -> str:
    lines = [body.rstrip(), "", "--", FOOTER]
    if unsubscribe_url:
        lines.append(UNSUBSCRIBE.format(url=unsubscribe_url))
    return "\n".join(lines) + "\n"


def _linkified(line: str) -> str:
    escaped = html.escape(line, quote=False)
    return _URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', escaped)


def email_html(subject: str, body: str, unsubscribe_url: str | None) -> str:
    """Paragraphs from blank-line separated blocks, lists from "- " lines, links made clickable."""
    blocks = []
    for block in re.split(r"\n\s*\n", body.strip()):
        lines = [line for line in block.splitlines() if line.strip()]
        items = [line for line in lines if line.startswith("- ")]
        prose = [line for line in lines if not line.startswith("- ")]
        if prose:
            blocks.append("<p>" + "<br>\n".join(_linkified(line) for line in prose) + "</p>")
        if items:
            blocks.append("<ul>" + "".join(f"<li>{_linkified(item[2:])}</li>" for item in items) + "</ul>")
    footer = html.escape(FOOTER)
    if unsubscribe_url:
        footer += "<br>" + _linkified(UNSUBSCRIBE.format(url=unsubscribe_url))
    return _EMAIL_HTML.format(title=html.escape(subject), paragraphs="\n".join(blocks), footer=footer)


def notice_document(*, title: str, code: str, issuer: str, body_html: str) -> str:
    """`body_html` is already escaped (rendered with autoescape); everything else is escaped here."""
    return _NOTICE_HTML.format(title=html.escape(title), code=html.escape(code), issuer=html.escape(issuer),
                               body=body_html, disclaimer=html.escape(NOTICE_DISCLAIMER))
