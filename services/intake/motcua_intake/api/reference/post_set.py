"""POST /api/v1/reference/sets: a province administrator imports a new reference set."""

from flask.views import MethodView

from motcua_shared.reference.sets import InvalidReferenceSet
from motcua_shared.web.app import runtime
from motcua_shared.web.auth import require
from motcua_shared.web.errors import Invalid
from motcua_shared.workcal import vietnam_today

from ...reference_import import import_files
from ..calendar.province_admin import require_province_admin
from . import blp
from .schemas import ImportedSet, ReferenceSetBody


@blp.route("/sets")
class ReferenceSets(MethodView):
    @require("admin")
    @blp.arguments(ReferenceSetBody)
    @blp.response(201, ImportedSet)
    @blp.alt_response(200, schema=ImportedSet, description="The same set as the newest stored: nothing changed.")
    @blp.doc(security=[{"bearer": []}])
    def post(self, body):
        """Nhập bộ dữ liệu dùng chung mới

        The files given replace the shipped ones; the whole set is checked (every file, and the rules across
        files). Refused: 422 `invalid_reference_set`, one `invalid_params` entry per problem (name `file:line`),
        nothing stored. Accepted: stored with the next import sequence and announced
        (`vn.motcua.reference.changed`) in the same transaction; every service computes with it from then on
        (docs/reference-data.md).
        """
        require_province_admin(vietnam_today(), to="nhập dữ liệu dùng chung")
        try:
            result = import_files(runtime(), body["files"], body["label"])
        except InvalidReferenceSet as exc:
            raise Invalid("Bộ dữ liệu không hợp lệ, không có gì được nhập.", code="invalid_reference_set",
                          invalid_params=[{"name": problem.file if problem.line is None else f"{problem.file}:{problem.line}",
                                           "code": "invalid_reference_data", "reason": problem.message}
                                          for problem in exc.problems]) from None
        return {**result.set.describe(), "stored": result.stored}, 201 if result.stored else 200
