"""The desk's time limit for accepting or refusing a dossier submitted online or by post, published by
intake on `intake.events` when the deadline sweep finds one still waiting past its limit.

It changes no status (the desk must still decide; nothing is ever accepted automatically), and is
published once per dossier, for whoever watches the desks' service (a dashboard, an alert); the citizen
is not messaged about it (the desk, not the citizen, is late).
"""
from marshmallow import fields, validate

from .. import registry
from ._base import UNIT_CODE, UNIT_PATH, StrictSchema, moment
from .dossier import CODE, historical

DOSSIER_ACCEPTANCE_OVERDUE = "vn.motcua.dossier.acceptance_deadline_passed"


class DossierAcceptanceOverdue(StrictSchema):
    code = fields.String(required=True, validate=CODE)
    receiving_unit = fields.String(required=True, validate=UNIT_CODE)
    receiving_unit_path = fields.String(required=True, validate=UNIT_PATH)
    channel = fields.String(required=True, validate=validate.OneOf(("online", "postal")))
    submitted_at = moment(required=True)
    acceptance_due_at = moment(required=True, metadata={
        "description": "When the desk should have accepted or refused it (INTAKE_ACCEPTANCE_LIMIT_HOURS)."})
    found_at = moment(required=True, metadata={"description": "When the sweep found it still waiting."})
    historical = historical()


registry.register(
    DOSSIER_ACCEPTANCE_OVERDUE, DossierAcceptanceOverdue, producer="intake",
    summary="A submitted dossier passed the desk's time limit for acceptance; it still awaits the desk.",
    example={"code": "H52.04222-261207-0001", "receiving_unit": "04222", "receiving_unit_path": "14.04222",
             "channel": "online", "submitted_at": "2026-12-07T16:00:00+07:00",
             "acceptance_due_at": "2026-12-08T16:00:00+07:00", "found_at": "2026-12-08T16:05:00+07:00"})
