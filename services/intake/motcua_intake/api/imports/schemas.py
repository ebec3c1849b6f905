from marshmallow import fields

from motcua_shared.web.fields import StrictSchema


class ImportQuery(StrictSchema):
    check = fields.Boolean(load_default=False, metadata={
        "description": "true: check the file only and store nothing (the answer says what would be imported)."})


class Import(StrictSchema):
    id = fields.String(required=True)
    status = fields.String(required=True, metadata={
        "description": "pending (staged, not started), applying (parts being applied) or done."})
    filename = fields.String(required=True)
    sha256 = fields.String(required=True, metadata={"description": "Of the file: the same file is the same import."})
    total = fields.Integer(required=True, metadata={"description": "Dossiers in the file."})
    applied = fields.Integer(required=True, metadata={"description": "Dossiers imported so far."})
    already = fields.Integer(required=True, metadata={
        "description": "Dossiers intake held already with the same content: left out."})
    created_at = fields.AwareDateTime(required=True)
    finished_at = fields.AwareDateTime(required=True, allow_none=True)


class ImportList(StrictSchema):
    items = fields.List(fields.Nested(Import), required=True)


class ImportChecked(StrictSchema):
    """The answer of `?check=true` for a valid file: nothing was stored."""

    filename = fields.String(required=True)
    sha256 = fields.String(required=True)
    total = fields.Integer(required=True, metadata={"description": "Dossiers in the file."})
    to_apply = fields.Integer(required=True, metadata={"description": "Dossiers an import would bring in."})
    already = fields.Integer(required=True, metadata={"description": "Dossiers intake holds already."})
