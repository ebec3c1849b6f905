"""Reporting's refusals of a period or unit, placed beside the field on the report's own form."""
from __future__ import annotations

from ...clients import Forbidden, Invalid
from ...forms import Form


def place(form: Form, exc: Exception) -> int:
    """Put the refusal on `form`; the status the page is sent with."""
    if isinstance(exc, Forbidden):
        form.error("unit", "Đơn vị này nằm ngoài phạm vi bạn được xem báo cáo. Hãy chọn đơn vị của bạn "
                           "hoặc một đơn vị trực thuộc.")
        return 403
    if isinstance(exc, Invalid) and exc.problem is not None:
        form.apply_problem(exc.problem, {"from_": "from"})
        return 400
    raise exc
