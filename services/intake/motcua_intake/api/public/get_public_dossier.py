"""GET /api/v1/public/dossiers/{code}?id_number=...: status, appointment and history, without login."""
from flask import request
from flask.views import MethodView

from motcua_shared.web.app import runtime
from motcua_shared.web.errors import NotFound

from ... import public_lookup
from ...app import desk, lookup_limits
from . import NOT_FOUND_DETAIL, TOO_MANY, blp
from .schemas import LookupQuery, PublicDossier


@blp.route("/api/v1/public/dossiers/<string:code>")
class PublicDossierView(MethodView):
    @blp.arguments(LookupQuery, location="query")
    @blp.response(200, PublicDossier)
    @blp.doc(responses=TOO_MANY)
    def get(self, query, code):
        """Tra cứu tình trạng hồ sơ

        Needs the applicant's identity number. A wrong number answers exactly like an unknown code (404
        `dossier_not_found`, same body), so the lookup reveals nothing without the matching number.
        Limited per client address and, for lookups that find nothing, per dossier code (429
        `rate_limited` with `Retry-After`).
        """
        code = code[:60]
        lookup_limits().admit(runtime().engine, request.remote_addr, code)
        with runtime().sessions() as session:
            found = public_lookup.find(session, desk(), code, query["id_number"])
        if found is None:
            raise NotFound(NOT_FOUND_DETAIL, code="dossier_not_found")
        lookup_limits().found(runtime().engine, code)
        return found
