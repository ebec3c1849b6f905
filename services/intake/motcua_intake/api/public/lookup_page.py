"""/tra-cuu: the lookup as a small Vietnamese page for a phone on a slow line (no script, ~3 KB).

The form is sent by POST so the identity number never appears in an address (history, proxies, logs).
"""
import re

from flask import render_template, request
from flask.views import MethodView

from motcua_shared.web.app import runtime
from motcua_shared.web.errors import RateLimited

from ... import public_lookup
from ...app import desk, lookup_limits
from ...forms.render import page
from . import TOO_MANY, blp

ID_NUMBER = re.compile(r"\d{12}|\d{9}")
DOSSIER_CODE = re.compile(r"[A-Za-z0-9.\-]{8,60}")
PAGE = {"200": {"description": "Trang tra cứu (HTML, tiếng Việt).", "content": {"text/html": {}}}}
LIMITED = {"429": {**TOO_MANY["429"], "content": {"text/html": {}}}}
# The form's own errors are the same page with the message beside the fields, for a person.
NOT_ANSWERED = {"404": {"description": "Không có hồ sơ khớp mã và số định danh (trang HTML).",
                        "content": {"text/html": {}}},
                "422": {"description": "Thiếu mã hồ sơ hoặc số định danh sai (trang HTML).",
                        "content": {"text/html": {}}}}


def _render(status: int = 200, **context):
    response = page(render_template("public/lookup.html", action=request.path, **context))
    response.status_code = status
    return response


@blp.route("/tra-cuu")
class LookupPage(MethodView):
    @blp.doc(responses=PAGE)
    def get(self):
        """Trang tra cứu hồ sơ (`?ma=<mã hồ sơ>` điền sẵn mã, như trong các tin nhắn gửi công dân)"""
        prefill = request.args.get("ma", "").strip()[:60]
        return _render(code=prefill if DOSSIER_CODE.fullmatch(prefill) else "")

    @blp.doc(responses={**PAGE, **NOT_ANSWERED, **LIMITED})
    def post(self):
        """Kết quả tra cứu hồ sơ (form: code, id_number)"""
        code = request.form.get("code", "").strip()[:60]
        id_number = request.form.get("id_number", "").strip()
        if not code or not ID_NUMBER.fullmatch(id_number):
            return _render(422, code=code, invalid="Nhập mã hồ sơ và số định danh cá nhân gồm 12 chữ số.")
        try:  # the same limits as the API: the page must not be the way around them
            lookup_limits().admit(runtime().engine, request.remote_addr, code)
        except RateLimited as limited:
            response = _render(429, code=code, invalid=limited.detail)
            response.headers["Retry-After"] = str(limited.retry_after)
            return response
        with runtime().sessions() as session:
            found = public_lookup.find(session, desk(), code, id_number)
        if found is None:
            return _render(404, code=code, not_found=True)
        lookup_limits().found(runtime().engine, code)
        return _render(code=code, dossier=public_lookup.as_page(found))
