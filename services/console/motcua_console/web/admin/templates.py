"""/quan-tri/mau-tin-nhan: the message templates notification ships (read only: a new wording is a new
version released with the service), each with its versions and a preview of the current version as a
citizen would receive it by SMS and by e-mail.

The e-mail's HTML part is shown as text inside <pre>, autoescaped, never as markup of this page: it is
the service's output, and the console's page must not run or lay out what it contains."""
from __future__ import annotations

from dataclasses import dataclass

from flask import render_template

from motcua_shared.events.catalogue import dossier, route, shipment

from ...clients import ApiError
from ...forms import problem_message
from ...permissions import requires
from ..context import backends
from . import bp

# The events of the catalogue a template answers, in the officer's words.
EVENTS = {
    dossier.DOSSIER_SUBMITTED: "Hồ sơ được nộp trực tuyến",
    dossier.DOSSIER_RECEIVED: "Hồ sơ được tiếp nhận",
    dossier.DOSSIER_REFUSED: "Từ chối tiếp nhận hồ sơ",
    dossier.DOSSIER_REDIRECTED: "Hướng dẫn nộp tại cơ quan khác",
    dossier.DOSSIER_SUPPLEMENT_REQUESTED: "Yêu cầu bổ sung hồ sơ",
    dossier.DOSSIER_SUPPLEMENT_RECEIVED: "Nhận hồ sơ bổ sung",
    dossier.DOSSIER_WITHDRAWN: "Rút hồ sơ",
    dossier.DOSSIER_PROCESSED: "Có kết quả giải quyết",
    dossier.DOSSIER_RETURNED: "Trả kết quả",
    route.APOLOGY_ISSUED: "Xin lỗi, hẹn lại ngày trả kết quả",
    shipment.SHIPMENT_CREATED: "Gửi kết quả qua bưu chính",
    shipment.SHIPMENT_PROGRESSED: "Bưu gửi thay đổi trạng thái",
}


@dataclass(frozen=True)
class Preview:
    """One channel's preview, or why it could not be made (the rest of the page still shows)."""
    data: dict | None = None
    error: str = ""


def _preview(key: str, channel: str) -> Preview:
    try:
        answer = backends().notification.preview(key, {"channel": channel})
    except ApiError as exc:
        return Preview(error=problem_message(exc.problem))
    if not answer.get(channel):
        return Preview(error="dịch vụ thông báo không trả về nội dung.")
    return Preview(data=answer[channel])


@bp.get("/quan-tri/mau-tin-nhan")
@requires("admin")
def templates():
    found = backends().notification.templates()["templates"]
    return render_template("admin/message_templates.html", templates=found, events=EVENTS)


@bp.get("/quan-tri/mau-tin-nhan/<key>")
@requires("admin")
def template(key: str):
    found = backends().notification.template(key)  # NotFound (no such template) -> the 404 page
    versions = sorted(found["versions"], key=lambda v: v["version"], reverse=True)
    return render_template("admin/message_template.html", template=found, versions=versions, events=EVENTS,
                           sms=_preview(found["key"], "sms"), email=_preview(found["key"], "email"))
