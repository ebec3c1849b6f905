"""POST /api/v1/templates/{key}/preview: render a version for SMS or e-mail, with sample data."""
from dataclasses import asdict

from flask.views import MethodView
from jinja2 import TemplateError

from motcua_shared.web.auth import require
from motcua_shared.web.errors import Invalid, NotFound

from ... import templates
from ...notices import UNSUBSCRIBE_PATH
from ..common import OFFICERS, options
from . import blp
from .schemas import Preview, PreviewRequest
from .views import find


@blp.route("/<string:key>/preview")
class TemplatePreview(MethodView):
    @require(*OFFICERS)
    @blp.arguments(PreviewRequest)
    @blp.response(200, Preview)
    @blp.doc(security=[{"bearer": []}])
    def post(self, body, key):
        """Xem trước mẫu tin nhắn

        Renders exactly what a citizen would receive (SMS folded to GSM-7 unless `unicode`, with its
        segment count; e-mail with subject, text, HTML and the attached notice), from the template's
        sample values or the ones given.
        """
        template = find(key)
        try:
            version = template.version(body["version"] or template.current.number)
        except KeyError:
            raise NotFound("Mẫu tin nhắn không có phiên bản này.", code="template_version_not_found") from None
        opts = options()
        values = {**template.sample, **_checked(template, body["personalisation"])}
        values["link"] = templates.lookup_link(opts.public_base_url, str(values["code"]))
        try:
            if body["channel"] == "sms":
                unicode = opts.sms_unicode if body["unicode"] is None else body["unicode"]
                sms = templates.render_sms(version, values, unicode=unicode)
                return {"template": key, "version": version.number, "channel": "sms", "sms": {
                    "text": sms.text, "encoding": sms.encoding, "characters": sms.units, "segments": sms.segments}}
            mail = templates.render_email(version, values,
                                          unsubscribe_url=f"{opts.public_base_url}{UNSUBSCRIBE_PATH}?t=xem-truoc")
        except TemplateError as exc:
            raise Invalid("Không thể điền mẫu với các giá trị đã cho.", code="unrenderable_personalisation",
                          invalid_params=[{"name": "personalisation", "code": "unrenderable",
                                           "reason": str(exc)[:200]}]) from None
        return {"template": key, "version": version.number, "channel": "email", "email": {
            "subject": mail.subject, "text": mail.text, "html": mail.html,
            "attachment": asdict(mail.attachment) if mail.attachment else None}}


def _checked(template, given: dict) -> dict:
    """Only the template's own names, each with the sample's type (text, or a list of texts)."""
    problems = []
    for name, value in given.items():
        sample = template.sample.get(name)
        if name not in template.sample:
            problems.append({"name": f"personalisation.{name}", "code": "unknown_field", "reason": "Trường không được hỗ trợ."})
        elif isinstance(sample, list):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                problems.append({"name": f"personalisation.{name}", "code": "invalid_type",
                                 "reason": "Không phải danh sách chuỗi ký tự hợp lệ."})
        elif not isinstance(value, str):
            problems.append({"name": f"personalisation.{name}", "code": "invalid_type",
                             "reason": "Không phải chuỗi ký tự hợp lệ."})
    if problems:
        raise Invalid("Một hoặc nhiều trường không hợp lệ.", invalid_params=problems)
    return given
