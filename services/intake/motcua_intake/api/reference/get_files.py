"""GET /api/v1/reference/files: the whole reference set this process computes with, for a process that keeps
no copy of its own in a database and has no broker: the console follows intake's set by reading its version
(`GET /api/v1/reference`, a few bytes) and fetching the files only when it changed (docs/reference-data.md).

Every officer may read it, as the version itself: units, agencies, procedures and the calendar belong to no
unit and hold no personal data, and the console asks with the token of whichever officer is signed in.
"""
from flask.views import MethodView

from motcua_shared.reference.current import current
from motcua_shared.web.auth import OFFICERS, require

from . import blp
from .schemas import ReferenceFiles


@blp.route("/files")
class ReferenceFilesInUse(MethodView):
    @require(*OFFICERS)
    @blp.response(200, ReferenceFiles)
    @blp.doc(security=[{"bearer": []}])
    def get(self):
        """Toàn bộ dữ liệu dùng chung đang dùng

        The set in use with every file's normalised text (115 KB of files, about 145 KB of JSON, for Sơn La): the same files digest to
        `version` (SHA-256 over the files by name, docs/reference-data.md), which a reader checks before using it.
        """
        in_use = current()  # one set: the version and the files always belong together
        return {**in_use.describe(), "files": dict(in_use.files)}
