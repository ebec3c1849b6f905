"""Events of the province's working calendar, published by intake on `intake.events`.

The calendar's override table (days off and working days a province administrator declares) lives in
intake; routing (step deadlines, pauses) and reporting (the clock of a dossier) compute with the same
calendar, so each keeps a copy built from these events. One event per change of one date; `kind` null
means the declaration was removed and the official schedule (the year's calendar file, else the
`holidays` package; then the weekend) applies again. Changes to one date may arrive twice or out of order: the one with the latest
`changed_at` wins.
"""
from marshmallow import fields, validate

from .. import registry
from ._base import StrictSchema, moment

CALENDAR_CHANGED = "vn.motcua.calendar.changed"
KINDS = ("day_off", "working_day")


class CalendarChanged(StrictSchema):
    day = fields.Date(required=True)
    kind = fields.String(required=True, allow_none=True, validate=validate.OneOf(KINDS), metadata={
        "description": "day_off (ngày nghỉ), working_day (ngày làm việc, e.g. làm bù), or null: the declaration "
                       "was removed and the statutory rule applies."})
    note = fields.String(required=True, allow_none=True, validate=validate.Length(min=1, max=300))
    changed_at = moment(required=True, metadata={
        "description": "When intake recorded the change; of two changes to one date the later wins."})


registry.register(CALENDAR_CHANGED, CalendarChanged, producer="intake",
                  example={"day": "2026-01-02", "kind": "day_off",
                           "note": "Nghỉ bù Tết Dương lịch theo Quyết định 01/QĐ-UBND",
                           "changed_at": "2025-12-20T09:15:00+07:00"},
                  summary="A province administrator declared a date a day off or a working day, or removed the "
                          "declaration.")
