"""GET /api/v1/dossiers: the dossiers the caller may see, newest first, paged, filtered and searched."""
from flask.views import MethodView

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import current_principal, require

from ... import scope, search, views
from ...app import desk
from . import OFFICERS_AND_CITIZENS, blp
from .schemas import DossierPage, DossierQuery


@blp.route("")
class DossierList(MethodView):
    @require(*OFFICERS_AND_CITIZENS)
    @blp.arguments(DossierQuery, location="query")
    @blp.response(200, DossierPage)
    @blp.doc(security=[{"bearer": []}])
    def get(self, query):
        """Danh sách và tìm kiếm hồ sơ

        An officer sees the dossiers received at their unit or below it (on the day each came in); a
        citizen sees their own. Every filter narrows that set: `unit` keeps the dossiers received at that
        unit or below it, so naming a unit outside one's scope finds nothing. `q` matches part of the
        applicant's name or of the code, ignoring accents and case ("nguyen" finds "Nguyễn").
        `acceptance_overdue=true` is the desk's queue of online and postal submissions past their time limit
        (`acceptance_due_at`); each submission shows the working minutes left (`acceptance_minutes_left`).
        """
        principal = current_principal()
        with runtime().sessions() as session:
            rows, total = search.page(session, scope.visible(principal, desk().identities), query)
            calendar = desk().calendars.calendar(session)
        return {"items": [views.summary(desk(), row, calendar=calendar) for row in rows], "page": query["page"],
                "page_size": query["page_size"], "total": total}
