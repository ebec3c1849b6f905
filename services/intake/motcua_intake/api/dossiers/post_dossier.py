"""POST /api/v1/dossiers: receive a dossier at a desk, or submit one online or by post."""
import re

from flask import request
from flask.views import MethodView
from sqlalchemy.exc import IntegrityError

from motcua_shared.web import json_input
from motcua_shared.web.app import runtime
from motcua_shared.web.auth import current_principal, require
from motcua_shared.web.errors import Invalid

from ... import receiving
from ...app import desk
from . import blp
from .schemas import DossierCreate, DossierCreated

# Visible ASCII, as clients make them (UUIDs, ULIDs, base64): a key is compared byte for byte and
# stored, and a NUL or a control character in it would reach the database or the logs.
IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,100}")
IDEMPOTENCY_KEY_HEADER = {
    "in": "header", "name": "Idempotency-Key", "required": False,
    "description": "Makes a retried submission answer with the same dossier; the same key with another "
                   "body answers 409 `idempotency_key_reused`. Scoped to the submitting user.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 100, "pattern": "^[\\x21-\\x7e]+$"},
}

@blp.route("")
class Dossiers(MethodView):
    @require("receptionist", "citizen", "admin")
    @blp.arguments(DossierCreate)
    @blp.response(201, DossierCreated)
    @blp.doc(security=[{"bearer": []}], parameters=[IDEMPOTENCY_KEY_HEADER])
    def post(self, body):
        """Tiếp nhận hồ sơ

        A receptionist receives at a desk of their unit (or a unit below it): the dossier is received at
        once with its code and appointment, or with `status: submitted` recorded for a decision at
        reception. A citizen submits online (procedures with an online service) or asks the post to collect
        the papers (`channel: postal`); either waits for the desk (status submitted). An administrator may
        import a historical dossier with `received_at`. `Idempotency-Key` makes a retried submission
        answer with the same dossier; the same key with another body answers 409. A citizen account
        submits at most INTAKE_CITIZEN_DAILY_LIMIT dossiers a day (Vietnam time); beyond it 429
        `rate_limited` with `Retry-After` (seconds to midnight). Citizens' own submissions are numbered
        5001-9999 in the desk's day, apart from the desk's receptions (0001-5000).
        """
        principal = current_principal()
        key = request.headers.get("Idempotency-Key")
        if key is not None and not IDEMPOTENCY_KEY.fullmatch(key):
            raise Invalid("Idempotency-Key phải gồm từ 1 đến 100 ký tự ASCII nhìn thấy được (không dấu cách).",
                          code="invalid_idempotency_key")
        # Of the body the arguments parser decoded already (before the view ran), not decoded again.
        fingerprint = receiving.body_fingerprint(json_input.decoded(request.environ, request.get_data()))
        sessions = runtime().sessions
        if key:
            with sessions() as session:
                existing = receiving.find_by_idempotency_key(session, principal, key, desk())
            if existing:
                return receiving.representation(receiving.replay(existing, fingerprint), desk().base_url)
        try:
            with sessions.begin() as session:
                record = receiving.submit(session, desk(), body=body, principal=principal, idempotency_key=key,
                                          fingerprint=fingerprint)
        except IntegrityError:
            # Two retries with one key raced: the first one won; answer with its dossier.
            with sessions() as session:
                existing = receiving.find_by_idempotency_key(session, principal, key, desk()) if key else None
            if not existing:
                raise
            record = receiving.replay(existing, fingerprint)
        return receiving.representation(record, desk().base_url)
