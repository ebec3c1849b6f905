from flask_smorest import Blueprint

from motcua_shared.web.app import StrictParser

from ...statistics.definitions import DEFINITIONS

blp = Blueprint("reports", __name__, url_prefix="/api/v1/reports",
                description="Báo cáo, thống kê: Biểu 06/VPCP/KSTT và các chỉ số Quyết định 766.\n\n" + DEFINITIONS)
# Unknown query parameters are refused (a mistyped filter must not silently widen a report). The
# app factory sets this parser on the Api, which blueprints do not read: set it here, before the
# endpoints below are decorated.
blp.ARGUMENTS_PARSER = StrictParser()

from . import (get_breakdown, get_dossiers, get_event_counts, get_indicators, get_summary,  # noqa: E402,F401
               get_trend)
