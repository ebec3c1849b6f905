"""The import file may be far larger than an ordinary request body (MAX_CONTENT_LENGTH, 1 MiB): an
administrator's upload is allowed INTAKE_IMPORT_MAX_BYTES.

The limit is raised in a URL value preprocessor because Flask runs those before any before_request
function, and the app's NUL check reads the form (parsing the body) in one. Only for a caller whose
token already says administrator: anyone else's large body stays refused at the ordinary limit before
it is read, so an anonymous client cannot make the API spool 64 MiB to disk.
"""
from flask import request

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import current_principal
from motcua_shared.web.errors import ApiError

from . import blp

# Room for the multipart envelope (boundaries, part headers) around a file of the largest size allowed.
MULTIPART_OVERHEAD = 64 * 1024


class FileTooLarge(ApiError):
    status, code, title = 413, "file_too_large", "Tệp quá lớn"


def too_large(limit: int) -> FileTooLarge:
    return FileTooLarge(f"Tệp nhập vượt quá {limit:,} byte (INTAKE_IMPORT_MAX_BYTES).".replace(",", "."))


@blp.url_value_preprocessor
def _administrators_may_send_a_file(_endpoint, _values) -> None:
    if request.method != "POST":
        return
    try:
        principal = current_principal(optional=True)
    except ApiError:
        return  # an invalid token: the view answers 401 before anything else
    if principal is None or not principal.has("admin"):
        return
    limit = runtime().settings.intake_import_max_bytes
    if request.content_length is not None and request.content_length > limit + MULTIPART_OVERHEAD:
        raise too_large(limit)
    request.max_content_length = limit + MULTIPART_OVERHEAD
