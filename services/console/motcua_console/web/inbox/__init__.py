"""The processing inbox (`/cong-viec`) and what specialists and leaders do with a step of a dossier."""
from flask import Blueprint

bp = Blueprint("inbox", __name__)

from . import actions, steps  # noqa: E402,F401  (the pages register themselves on bp)
