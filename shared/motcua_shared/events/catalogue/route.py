"""Events of a dossier's route through the agencies, published by routing.

Two of them are pinned partner contracts (contracts.md §4.1): `routing.step.assigned` on exchange
`routing.steps` (routing key `step.<unit path>`) and `routing.step.completed` on exchange
`routing.step-results` (routing key = the step's `reply_to`), which a province's own routing service
consumes and produces. The rest go on `routing.events` for intake, notification and reporting.
"""
from marshmallow import ValidationError, fields, validate, validates_schema

from .. import registry
from ._base import UNIT_CODE, UNIT_PATH, StrictSchema, moment

STEP_ASSIGNED = "vn.motcua.routing.step.assigned"
STEP_COMPLETED = "vn.motcua.routing.step.completed"
ROUTE_STARTED = "vn.motcua.route.started"
ROUTE_SUPPLEMENT_REQUIRED = "vn.motcua.route.supplement_required"
ROUTE_COMPLETED = "vn.motcua.route.completed"
DEADLINE_WARNED = "vn.motcua.deadline.warned"
DEADLINE_ESCALATED = "vn.motcua.deadline.escalated"
APOLOGY_ISSUED = "vn.motcua.apology.issued"

LEVELS = ("province", "district", "commune")
OUTCOMES = ("approved", "rejected", "supplement_required")
CODE = validate.Length(min=8, max=60)


class StepAssigned(StrictSchema):
    step_id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    dossier_code = fields.String(required=True, validate=CODE)
    procedure_code = fields.String(required=True, validate=validate.Length(min=1, max=40))
    procedure_name = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))
    unit = fields.String(required=True, validate=UNIT_CODE)
    unit_path = fields.String(required=True, validate=UNIT_PATH)
    level = fields.String(required=True, validate=validate.OneOf(LEVELS))
    agency = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=120))
    action = fields.String(required=True, validate=validate.OneOf(("process", "appraise", "approve", "sign")))
    sequence = fields.Integer(load_default=1, validate=validate.Range(min=1, max=50))
    assigned_at = moment(required=True)
    due_at = moment(required=True)
    reply_to = fields.String(required=True, validate=validate.Length(min=1, max=255))
    documents = fields.List(fields.String(validate=validate.Length(max=300)), load_default=list)
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class StepCompleted(StrictSchema):
    step_id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    dossier_code = fields.String(required=True, validate=CODE)
    outcome = fields.String(required=True, validate=validate.OneOf(OUTCOMES))
    completed_at = moment(required=True)
    handled_by = fields.String(required=True, validate=validate.Length(min=1, max=200))
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))

    JSON_SCHEMA_EXTRA = {"if": {"properties": {"outcome": {"enum": ["rejected", "supplement_required"]}}},
                         "then": {"required": ["note"], "properties": {"note": {"type": "string", "minLength": 1}}}}

    @validates_schema
    def _note_unless_approved(self, data, **_kwargs):
        if data.get("outcome") != "approved" and not data.get("note"):
            raise ValidationError("Missing data for required field.", field_name="note")


class PlannedStep(StrictSchema):
    step_id = fields.String(required=True)
    sequence = fields.Integer(required=True)
    unit = fields.String(required=True, validate=UNIT_CODE)
    unit_path = fields.String(required=True, validate=UNIT_PATH)
    level = fields.String(required=True, validate=validate.OneOf(LEVELS))
    action = fields.String(required=True)
    budget_hours = fields.Float(required=True, validate=validate.Range(min=0))


class RouteStarted(StrictSchema):
    dossier_code = fields.String(required=True, validate=CODE)
    started_at = moment(required=True)
    due_at = moment(required=True)
    steps = fields.List(fields.Nested(PlannedStep), required=True, validate=validate.Length(min=1))


class RouteSupplementRequired(StrictSchema):
    dossier_code = fields.String(required=True, validate=CODE)
    step_id = fields.String(required=True)
    requested_at = moment(required=True)
    note = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class RouteCompleted(StrictSchema):
    dossier_code = fields.String(required=True, validate=CODE)
    outcome = fields.String(required=True, validate=validate.OneOf(("approved", "rejected")))
    completed_at = moment(required=True)
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class DeadlineWarned(StrictSchema):
    dossier_code = fields.String(required=True, validate=CODE)
    step_id = fields.String(load_default=None, allow_none=True)
    scope = fields.String(required=True, validate=validate.OneOf(("step", "dossier")))
    unit = fields.String(required=True, validate=UNIT_CODE)
    due_at = moment(required=True)
    warned_at = moment(required=True)


class DeadlineEscalated(StrictSchema):
    dossier_code = fields.String(required=True, validate=CODE)
    step_id = fields.String(required=True)
    unit = fields.String(required=True, validate=UNIT_CODE)
    escalated_to = fields.String(required=True, metadata={"description": "The leader role and unit told."})
    due_at = moment(required=True)
    escalated_at = moment(required=True)


class ApologyIssued(StrictSchema):
    """Mẫu 04: the apology with a new appointment, at least one working day before the due time, at most once."""

    dossier_code = fields.String(required=True, validate=CODE)
    original_due_at = moment(required=True)
    new_due_at = moment(required=True)
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    issued_at = moment(required=True)
    unit = fields.String(required=True, validate=UNIT_CODE)


_STEP = {"step_id": "S-3f2a9c", "dossier_code": "H52.04222-190315-0001"}
for _type, _schema, _summary, _example in (
    (STEP_ASSIGNED, StepAssigned, "A processing step for the unit named by the routing key step.<unit path>.",
     {**_STEP, "procedure_code": "2.000815", "procedure_name": None, "unit": "14", "unit_path": "14",
      "level": "province", "agency": "14.STP", "action": "process", "sequence": 2,
      "assigned_at": "2019-03-18T09:00:00+07:00", "due_at": "2019-03-25T09:00:00+07:00",
      "reply_to": "result.14.126", "documents": [], "note": None}),
    (STEP_COMPLETED, StepCompleted, "The answer to a step, on routing.step-results with routing key = reply_to.",
     {**_STEP, "outcome": "approved", "completed_at": "2019-03-22T15:10:00+07:00",
      "handled_by": "Sở Tư pháp tỉnh Sơn La", "note": None}),
    (ROUTE_STARTED, RouteStarted, "The route plan of a received dossier, with each step's budget.",
     {"dossier_code": "H52.04222-190315-0001", "started_at": "2019-03-15T08:30:00+07:00",
      "due_at": "2019-03-20T08:30:00+07:00", "steps": [
          {"step_id": "S-3f2a9c", "sequence": 1, "unit": "04222", "unit_path": "14.126.04222", "level": "commune",
           "action": "process", "budget_hours": 24.0}]}),
    (ROUTE_SUPPLEMENT_REQUIRED, RouteSupplementRequired, "A step needs a supplement from the citizen.",
     {**_STEP, "requested_at": "2019-03-16T10:00:00+07:00", "note": "Thiếu bản sao Giấy khai sinh."}),
    (ROUTE_COMPLETED, RouteCompleted, "Every step is done: the result is on its way to the receiving desk.",
     {"dossier_code": "H52.04222-190315-0001", "outcome": "approved", "completed_at": "2019-03-19T16:00:00+07:00",
      "note": None}),
    (DEADLINE_WARNED, DeadlineWarned, "A step or a dossier will soon fall due.",
     {**_STEP, "scope": "step", "unit": "04222", "due_at": "2019-03-20T08:30:00+07:00",
      "warned_at": "2019-03-19T08:30:00+07:00"}),
    (DEADLINE_ESCALATED, DeadlineEscalated, "A step is overdue: the unit's leader is told.",
     {**_STEP, "unit": "04222", "escalated_to": "leader@04222", "due_at": "2019-03-20T08:30:00+07:00",
      "escalated_at": "2019-03-20T08:31:00+07:00"}),
    (APOLOGY_ISSUED, ApologyIssued, "The dossier will be late: apology with a new appointment (Mẫu 04).",
     {"dossier_code": "H52.04222-190315-0001", "original_due_at": "2019-03-20T08:30:00+07:00",
      "new_due_at": "2019-03-22T08:30:00+07:00", "reason": "Cần xác minh thêm.",
      "issued_at": "2019-03-19T08:30:00+07:00", "unit": "04222"}),
):
    registry.register(_type, _schema, summary=_summary, example=_example, producer="routing")
