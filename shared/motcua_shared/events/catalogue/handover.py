"""The hand-over of a dossier's steps to the successor agencies, published by routing.

On 01/07/2025 Vietnam moved to two-level local government: the district level and its offices were
abolished, communes were merged, and the communes' offices were re-formed. A dossier still in
progress at that moment keeps its route, but each of its steps at an agency or unit that ceased is
handed to the agency that holds the same role after the reform (routing's transition.py). Intake
records the hand-over in the dossier's history; the step messages themselves travel as usual
(`routing.step.cancelled` to the old unit, `routing.step.assigned` to the new one).
"""
from marshmallow import fields, validate

from .. import registry
from ._base import UNIT_CODE, UNIT_PATH, StrictSchema, moment
from .route import LEVELS

ROUTE_HANDED_OVER = "vn.motcua.route.handed_over"


class HandedOverStep(StrictSchema):
    """One step moved from an agency that ceased to its successor."""

    sequence = fields.Integer(required=True, validate=validate.Range(min=1, max=50))
    state = fields.String(required=True, validate=validate.OneOf(("open", "planned")), metadata={
        "description": "open: the agency was working on it (a new step is assigned to the successor); "
                       "planned: not yet started (it will be assigned to the successor when its turn comes)."})
    from_step_id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    to_step_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=64), metadata={
        "description": "The successor's step (answer this one); the same as from_step_id for a planned step."})
    from_unit = fields.String(required=True, validate=UNIT_CODE)
    from_agency = fields.String(required=True, validate=validate.Length(max=120))
    from_agency_name = fields.String(required=True, validate=validate.Length(max=200))
    to_unit = fields.String(required=True, validate=UNIT_CODE)
    to_unit_path = fields.String(required=True, validate=UNIT_PATH)
    to_level = fields.String(required=True, validate=validate.OneOf(LEVELS))
    to_agency = fields.String(required=True, validate=validate.Length(max=120))
    to_agency_name = fields.String(required=True, validate=validate.Length(max=200))
    due_at = moment(load_default=None, allow_none=True, metadata={
        "description": "The open step's due time, unchanged by the hand-over (null for a planned step)."})


class RouteHandedOver(StrictSchema):
    """A dossier in progress when local government changed: its steps at agencies that ceased are
    handed to their successors, each keeping its due time."""

    dossier_code = fields.String(required=True, validate=validate.Length(min=8, max=60))
    handed_over_at = moment(required=True, metadata={
        "description": "The moment responsibility passed: 01/07/2025 00:00 Asia/Ho_Chi_Minh."})
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    historical = fields.Boolean(load_default=False, metadata={
        "description": "The dossier was brought in from the past: recorded, nobody is told."})
    steps = fields.List(fields.Nested(HandedOverStep), required=True, validate=validate.Length(min=1))


registry.register(
    ROUTE_HANDED_OVER, RouteHandedOver, producer="routing",
    summary="Steps of a dossier in progress on 01/07/2025 handed to the successor agencies (two-level reform).",
    example={
        "dossier_code": "H52.04222-250623-0001", "handed_over_at": "2025-07-01T00:00:00+07:00",
        "reason": "Chính quyền địa phương hai cấp từ 01/07/2025: cơ quan giải quyết trước đây không còn; "
                  "hồ sơ chuyển giao cho cơ quan kế nhiệm, giữ nguyên thời hạn.",
        "historical": False,
        "steps": [{"sequence": 2, "state": "open", "from_step_id": "S-3f2a9c", "to_step_id": "S-7b41d0",
                   "from_unit": "126", "from_agency": "14.126.PLDTBXH",
                   "from_agency_name": "Phòng Lao động - Thương binh và Xã hội huyện Sông Mã",
                   "to_unit": "04222", "to_unit_path": "14.04222", "to_level": "commune",
                   "to_agency": "14.04222.PVHXH", "to_agency_name": "Phòng Văn hóa - Xã hội xã Chiềng Khương",
                   "due_at": "2025-07-04T10:00:00+07:00"}]})
