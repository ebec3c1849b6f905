"""Dossier pages: the search (`/ho-so`), one dossier's page (`/ho-so/<code>`) and its printable forms."""
from flask import Blueprint

bp = Blueprint("dossiers", __name__)

from . import detail, prints, search  # noqa: E402,F401  (the pages register themselves on bp)
