"""The desk's postal pages (Quyết định 45/2016/QĐ-TTg): the shipments of the officer's desk by what
needs doing (`/buu-chinh`), and one shipment with its history and the form for a status the post
gave by phone (`/buu-chinh/<shipment_id>`). postal is the authority: it scopes the shipments by the
officer's unit itself and decides whether a reported status moves a shipment on."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("postal", __name__)

# The pages register themselves on `bp` when imported.
from . import shipment, shipments  # noqa: E402,F401
