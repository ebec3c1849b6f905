from marshmallow import fields

from motcua_shared.web.fields import StrictSchema

from ..dossiers.schemas import ID_NUMBER


class LookupQuery(StrictSchema):
    id_number = fields.String(required=True, validate=ID_NUMBER)


class HistoryLine(StrictSchema):
    at = fields.AwareDateTime(required=True)
    text = fields.String(required=True)


class PublicDossier(StrictSchema):
    code = fields.String(required=True)
    procedure_name = fields.String(required=True)
    status = fields.String(required=True)
    status_label = fields.String(required=True)
    dvcqg_status = fields.Integer(required=True)
    due_at = fields.AwareDateTime(required=True, allow_none=True,
                                  metadata={"description": "The appointment, or the new date of an apology."})
    history = fields.List(fields.Nested(HistoryLine), required=True)
