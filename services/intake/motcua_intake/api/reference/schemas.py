from marshmallow import fields, validate

from motcua_shared.events.catalogue._base import StrictSchema
from motcua_shared.events.catalogue.reference import FILE_NAME


class ReferenceVersion(StrictSchema):
    version = fields.String(required=True, metadata={"description": "SHA-256 of the set's normalised files."})
    label = fields.String(required=True, allow_none=True, metadata={"description": "The set's label, or null."})
    sequence = fields.Integer(required=True, metadata={"description": "Import number; 0: shipped files and directory."})
    origin = fields.String(required=True, metadata={"description": "shipped, shipped + DIR, or import."})


class ReferenceFiles(ReferenceVersion):
    files = fields.Dict(keys=fields.String(), values=fields.String(), required=True, metadata={
        "description": "Every file of the set by name (units.csv, agencies.csv, procedures.csv, "
                       "procedure_documents.csv, calendar/YYYY.csv), normalised UTF-8 text; they digest to `version`."})


class ReferenceSetBody(StrictSchema):
    files = fields.Dict(
        keys=fields.String(validate=validate.Regexp(FILE_NAME)), values=fields.String(), required=True,
        validate=validate.Length(min=1, max=64), metadata={
            "description": "Files by name (units.csv, agencies.csv, procedures.csv, procedure_documents.csv, "
                           "calendar/YYYY.csv) as UTF-8 text; a file not given is the shipped one."})
    label = fields.String(required=True, allow_none=True, validate=validate.Length(min=1, max=200),
                          metadata={"description": "A label for people, e.g. Sơn La 2027-01."})


class ImportedSet(ReferenceVersion):
    stored = fields.Boolean(required=True, metadata={
        "description": "false: the same set as the newest stored one, nothing changed."})
