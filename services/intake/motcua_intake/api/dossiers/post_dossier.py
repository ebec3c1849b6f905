"""POST /api/v1/dossiers: receive a dossier at a desk (or submit one online)."""
from flask import request
from flask.views import MethodView
from sqlalchemy.exc import IntegrityError

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import current_principal, require
from motcua_shared.web.errors import Invalid

from ... import receiving
from . import blp
from .schemas import DossierCreate, DossierCreated


@blp.route("")
class Dossiers(MethodView):
    @require("receptionist", "citizen", "admin")
    @blp.arguments(DossierCreate)
    @blp.response(201, DossierCreated)
    @blp.doc(security=[{"bearer": []}])
    def post(self, body):
        """Tiếp nhận hồ sơ

        A receptionist receives at a desk of their unit (or a unit below it); a citizen submits an
        online procedure. `Idempotency-Key` makes a retried submission answer with the same dossier.
        """
        rt = runtime()
        principal = current_principal()
        key = request.headers.get("Idempotency-Key")
        if key is not None and not (1 <= len(key) <= 100):
            raise Invalid("Idempotency-Key phải dài từ 1 đến 100 ký tự.", code="invalid_idempotency_key")
        base_url = rt.settings.motcua_public_base_url
        if key:
            with rt.sessions() as session:
                existing = receiving.find_by_idempotency_key(session, principal, key)
            if existing:
                return receiving.representation(existing, base_url)
        try:
            with rt.sessions.begin() as session:
                record = receiving.receive(session, rt, body=body, principal=principal, idempotency_key=key)
        except IntegrityError:
            # Two retries with one key raced: the first one won; answer with its dossier.
            with rt.sessions() as session:
                existing = receiving.find_by_idempotency_key(session, principal, key) if key else None
            if not existing:
                raise
            record = existing
        return receiving.representation(record, base_url)
