from motcua_shared.web.blueprint import Blueprint

from ...statistics.definitions import DEFINITIONS

blp = Blueprint("reports", __name__, url_prefix="/api/v1/reports",
                description="Báo cáo, thống kê: Biểu 06/VPCP/KSTT và các chỉ số Quyết định 766.\n\n" + DEFINITIONS)

from . import (get_breakdown, get_dossiers, get_event_counts, get_indicators, get_periods,  # noqa: E402,F401
               get_summary, get_trend)
