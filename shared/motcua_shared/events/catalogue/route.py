"""Events of a dossier's route through the agencies, published by routing.

Two of them are pinned partner contracts (docs/contracts.md §4.1): `routing.step.assigned` on exchange
`routing.steps` (routing key `step.<unit path>`) and `routing.step.completed` on exchange
`routing.step-results` (routing key = the step's `reply_to`), which a province's own routing service
consumes and produces. `routing.step.cancelled` travels with the steps (same exchange, same routing
key) and tells a handler to stop working on a step whose dossier was withdrawn. The rest go on
`routing.events` for intake, notification and reporting.
"""
from marshmallow import ValidationError, fields, validate, validates_schema

from .. import registry
from ._base import UNIT_CODE, UNIT_PATH, StrictSchema, moment

STEP_ASSIGNED = "vn.motcua.routing.step.assigned"
STEP_COMPLETED = "vn.motcua.routing.step.completed"
STEP_CANCELLED = "vn.motcua.routing.step.cancelled"
ROUTE_STARTED = "vn.motcua.route.started"
ROUTE_SUPPLEMENT_REQUIRED = "vn.motcua.route.supplement_required"
ROUTE_COMPLETED = "vn.motcua.route.completed"
DEADLINE_WARNED = "vn.motcua.deadline.warned"
DEADLINE_ESCALATED = "vn.motcua.deadline.escalated"
APOLOGY_ISSUED = "vn.motcua.apology.issued"

LEVELS = ("province", "district", "commune")
OUTCOMES = ("approved", "rejected", "supplement_required")
ACTIONS = ("process", "appraise", "approve", "sign")
CODE = validate.Length(min=8, max=60)


class StepAssigned(StrictSchema):
    """One step of a dossier for the agency of one unit; answered with routing.step.completed."""

    step_id = fields.String(required=True, validate=validate.Length(min=1, max=64), metadata={
        "description": "Identifies this assignment: answer it once. A step given again (after a supplement or "
                       "a send-back) has a new step_id."})
    dossier_code = fields.String(required=True, validate=CODE)
    procedure_code = fields.String(required=True, validate=validate.Length(min=1, max=40))
    procedure_name = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))
    unit = fields.String(required=True, validate=UNIT_CODE, metadata={"description": "Code of the unit that acts."})
    unit_path = fields.String(required=True, validate=UNIT_PATH, metadata={
        "description": "The unit's path on the day the dossier was received; the routing key is step.<unit_path>."})
    level = fields.String(required=True, validate=validate.OneOf(LEVELS))
    agency = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=120), metadata={
        "description": "Id of the agency that acts (unit path plus office, e.g. 14.STP)."})
    agency_name = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    action = fields.String(required=True, validate=validate.OneOf(ACTIONS), metadata={
        "description": "What the step asks: process (xử lý), appraise (thẩm định), approve (phê duyệt), sign (ký)."})
    sequence = fields.Integer(load_default=1, validate=validate.Range(min=1, max=50), metadata={
        "description": "Position of the step in the dossier's route plan."})
    attempt = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100), metadata={
        "description": "1 for the first assignment of this position, then 2, 3... when it is given again."})
    assigned_at = moment(required=True)
    due_at = moment(required=True, metadata={
        "description": "When the step's share of the time limit runs out (working time, never after dossier_due_at)."})
    dossier_due_at = moment(load_default=None, allow_none=True, metadata={
        "description": "The appointment given to the citizen for the whole dossier."})
    receiving_unit = fields.String(load_default=None, allow_none=True, validate=UNIT_CODE, metadata={
        "description": "The unit whose desk received the dossier and returns the result."})
    reply_to = fields.String(required=True, validate=validate.Length(min=1, max=255), metadata={
        "description": "Routing key of the answer on routing.step-results."})
    documents = fields.List(fields.String(validate=validate.Length(max=300)), load_default=list)
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000), metadata={
        "description": "Why the step is given (again), e.g. the reason of a send-back."})


class StepCompleted(StrictSchema):
    """The answer to one step; a repeat, or an answer to a step no longer open, changes nothing."""

    step_id = fields.String(required=True, validate=validate.Length(min=1, max=64),
                            metadata={"description": "The step_id of the step answered."})
    dossier_code = fields.String(required=True, validate=CODE)
    outcome = fields.String(required=True, validate=validate.OneOf(OUTCOMES), metadata={
        "description": "approved: on to the next step (or back to the desk after the last); rejected: the route "
                       "ends, reason in note; supplement_required: the clock stops until the citizen supplements, "
                       "what is missing in note."})
    completed_at = moment(required=True, metadata={
        "description": "When the step ended: never before the dossier was received (such an answer is "
                       "dead-lettered); a time after the answer's arrival is taken as the arrival."})
    handled_by = fields.String(required=True, validate=validate.Length(min=1, max=200),
                               metadata={"description": "Who handled the step, e.g. the department's name."})
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000),
                         metadata={"description": "Required unless approved."})

    JSON_SCHEMA_EXTRA = {"if": {"properties": {"outcome": {"enum": ["rejected", "supplement_required"]}}},
                         "then": {"required": ["note"], "properties": {"note": {"type": "string", "minLength": 1}}}}

    @validates_schema
    def _note_unless_approved(self, data, **_kwargs):
        if data.get("outcome") != "approved" and not data.get("note"):
            raise ValidationError("Missing data for required field.", field_name="note")


class StepCancelled(StrictSchema):
    """The dossier was withdrawn: stop working on the step and do not answer it."""

    step_id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    dossier_code = fields.String(required=True, validate=CODE)
    unit = fields.String(required=True, validate=UNIT_CODE)
    unit_path = fields.String(required=True, validate=UNIT_PATH)
    cancelled_at = moment(required=True)
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class PlannedStep(StrictSchema):
    step_id = fields.String(required=True)
    sequence = fields.Integer(required=True)
    unit = fields.String(required=True, validate=UNIT_CODE)
    unit_path = fields.String(required=True, validate=UNIT_PATH)
    level = fields.String(required=True, validate=validate.OneOf(LEVELS))
    agency = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=120))
    action = fields.String(required=True, validate=validate.OneOf(ACTIONS))
    budget_hours = fields.Float(required=True, validate=validate.Range(min=0), metadata={
        "description": "The step's share of the time limit in working hours; the shares add up to the working "
                       "time between the start of count and the dossier's due_at."})


class RouteStarted(StrictSchema):
    """The plan: every step in order with its unit, agency, action and budget (step ids of first assignments)."""

    dossier_code = fields.String(required=True, validate=CODE)
    started_at = moment(required=True)
    due_at = moment(required=True)
    steps = fields.List(fields.Nested(PlannedStep), required=True, validate=validate.Length(min=1))


class RouteSupplementRequired(StrictSchema):
    """A step asked for a supplement: the route waits (clock stopped) for dossier.supplement_received."""

    dossier_code = fields.String(required=True, validate=CODE)
    step_id = fields.String(required=True)
    requested_at = moment(required=True, metadata={"description": "The pause starts here."})
    note = fields.String(required=True, validate=validate.Length(min=1, max=2000),
                         metadata={"description": "What the citizen must supplement."})


class RouteCompleted(StrictSchema):
    """Processing is over: the last step approved, or a step rejected (with its reason in note)."""

    dossier_code = fields.String(required=True, validate=CODE)
    outcome = fields.String(required=True, validate=validate.OneOf(("approved", "rejected")))
    completed_at = moment(required=True, metadata={"description": "When the deciding step ended."})
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class DeadlineWarned(StrictSchema):
    """Sent once per step and once per dossier, shortly before its due time."""

    dossier_code = fields.String(required=True, validate=CODE)
    step_id = fields.String(load_default=None, allow_none=True,
                            metadata={"description": "The step warned about, or the open step of the dossier."})
    scope = fields.String(required=True, validate=validate.OneOf(("step", "dossier")))
    unit = fields.String(required=True, validate=UNIT_CODE, metadata={"description": "The unit that must act."})
    due_at = moment(required=True)
    warned_at = moment(required=True)


class DeadlineEscalated(StrictSchema):
    """Sent once per step that passed its due time while open."""

    dossier_code = fields.String(required=True, validate=CODE)
    step_id = fields.String(required=True)
    unit = fields.String(required=True, validate=UNIT_CODE)
    escalated_to = fields.String(required=True, metadata={"description": "The leader role and unit told."})
    due_at = moment(required=True)
    escalated_at = moment(required=True)


class ApologyIssued(StrictSchema):
    """Mẫu 04: the dossier will be late; the apology with a new appointment, at most once per dossier."""

    dossier_code = fields.String(required=True, validate=CODE)
    original_due_at = moment(required=True, metadata={"description": "The appointment being re-set."})
    new_due_at = moment(required=True, metadata={"description": "The new appointment (Decree 61: re-set only once)."})
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000),
                           metadata={"description": "Why the dossier is late, in the words of the apology slip."})
    issued_at = moment(required=True)
    unit = fields.String(required=True, validate=UNIT_CODE, metadata={"description": "The unit that apologises."})


_STEP = {"step_id": "S-3f2a9c", "dossier_code": "H52.04222-190315-0001"}
for _type, _schema, _summary, _example in (
    (STEP_ASSIGNED, StepAssigned, "A processing step for the unit named by the routing key step.<unit path>.",
     {**_STEP, "procedure_code": "2.000815", "procedure_name": None, "unit": "14", "unit_path": "14",
      "level": "province", "agency": "14.STP", "agency_name": "Sở Tư pháp tỉnh Sơn La", "action": "process",
      "sequence": 2, "attempt": 1, "dossier_due_at": "2019-03-27T09:00:00+07:00", "receiving_unit": "04222",
      "assigned_at": "2019-03-18T09:00:00+07:00", "due_at": "2019-03-25T09:00:00+07:00",
      "reply_to": "result.14.126", "documents": [], "note": None}),
    (STEP_CANCELLED, StepCancelled, "A step called off because its dossier was withdrawn; same exchange and key.",
     {**_STEP, "unit": "14", "unit_path": "14", "cancelled_at": "2019-03-19T10:00:00+07:00",
      "reason": "Công dân rút hồ sơ."}),
    (STEP_COMPLETED, StepCompleted, "The answer to a step, on routing.step-results with routing key = reply_to.",
     {**_STEP, "outcome": "approved", "completed_at": "2019-03-22T15:10:00+07:00",
      "handled_by": "Sở Tư pháp tỉnh Sơn La", "note": None}),
    (ROUTE_STARTED, RouteStarted, "The route plan of a received dossier, with each step's budget.",
     {"dossier_code": "H52.04222-190315-0001", "started_at": "2019-03-15T08:30:00+07:00",
      "due_at": "2019-03-20T08:30:00+07:00", "steps": [
          {"step_id": "S-3f2a9c", "sequence": 1, "unit": "04222", "unit_path": "14.126.04222", "level": "commune",
           "agency": "14.126.04222.UBND", "action": "process", "budget_hours": 18.0},
          {"step_id": "S-7b41d0", "sequence": 2, "unit": "04222", "unit_path": "14.126.04222", "level": "commune",
           "agency": "14.126.04222.UBND", "action": "sign", "budget_hours": 6.0}]}),
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
