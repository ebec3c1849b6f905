"""A dossier's appointment moved because the province declared a day off after it was given, published by
intake on `intake.events`.

When a province administrator declares a working day a day off (`vn.motcua.calendar.changed`), every
open dossier whose appointment lies on or after that day loses the working time the day had; intake
adds it back (motcua_shared.workcal.day_off_moves) and announces each moved appointment: routing moves
the due times of the dossier's open steps by the same day, reporting's copy follows, and notification
tells the citizen the new appointment. Historical (imported) dossiers are never moved or announced.
A day declared a working day moves nothing (the citizen keeps the date given).
"""
from marshmallow import fields, validate

from .. import registry
from ._base import StrictSchema, moment
from .dossier import CODE

DOSSIER_RESCHEDULED = "vn.motcua.dossier.rescheduled"


class DossierRescheduled(StrictSchema):
    code = fields.String(required=True, validate=CODE)
    occurred_at = moment(required=True, metadata={"description": "When intake moved the appointment."})
    day = fields.Date(required=True, metadata={"description": "The working day declared a day off."})
    note = fields.String(required=True, validate=validate.Length(min=1, max=300), metadata={
        "description": "The declaration's note: the holiday, or the decision that declared it."})
    previous_due_at = moment(required=True, metadata={"description": "The appointment before the day off."})
    due_at = moment(required=True, metadata={"description": "The new appointment (the working time of the day "
                                                            "off added back)."})


registry.register(DOSSIER_RESCHEDULED, DossierRescheduled, producer="intake",
                  example={"code": "H52.04222-261207-0001", "occurred_at": "2026-12-07T10:00:00+07:00",
                           "day": "2026-12-10", "note": "Nghỉ theo Quyết định 12/QĐ-UBND",
                           "previous_due_at": "2026-12-11T09:00:00+07:00",
                           "due_at": "2026-12-14T09:00:00+07:00"},
                  summary="A declared day off moved an open dossier's appointment; the citizen is told the new one.")
