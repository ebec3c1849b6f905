"""The reception-and-return desk (Bộ phận tiếp nhận và trả kết quả): the day's queue, the reception
form, the desk's actions on one dossier, and the logbook (Mẫu 06)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("desk", __name__)

# The pages register themselves on `bp` when imported.
from . import actions, channels, logbook, queue, reception  # noqa: E402,F401
