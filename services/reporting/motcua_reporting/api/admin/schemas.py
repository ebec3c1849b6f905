"""A background job as the admin API shows it (motcua_shared.jobs.describe)."""
from marshmallow import fields, validate

from motcua_shared.jobs import STATES
from motcua_shared.web.fields import StrictSchema


class Progress(StrictSchema):
    done = fields.Integer(required=True)
    total = fields.Integer(required=True, allow_none=True, metadata={"description": "None until the job knows it"})


class Rebuilt(StrictSchema):
    events = fields.Integer(required=True, metadata={"description": "Events in the store"})
    timeline_entries = fields.Integer(required=True, metadata={"description": "Lifecycle events projected"})
    dossiers = fields.Integer(required=True)
    seconds = fields.Float(required=True, metadata={"description": "From the first chunk to the last"})


class Job(StrictSchema):
    id = fields.String(required=True)
    kind = fields.String(required=True, metadata={"description": "projections.rebuild"})
    state = fields.String(required=True, validate=validate.OneOf(STATES))
    stage = fields.String(required=True, allow_none=True,
                          metadata={"description": "start, events, dossiers, swap, done"})
    progress = fields.Nested(Progress, required=True)
    created_by = fields.String(required=True)
    created_at = fields.DateTime(required=True)
    started_at = fields.DateTime(required=True, allow_none=True)
    finished_at = fields.DateTime(required=True, allow_none=True)
    result = fields.Nested(Rebuilt, required=True, allow_none=True)
    error = fields.String(required=True, allow_none=True)
