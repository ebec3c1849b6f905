"""The reference data set in use, announced by intake on `intake.events` when an administrator imports one.

Units, agencies, procedures and the yearly calendar are data a district changes without rebuilding the
image (docs/reference-data.md). Intake checks an imported set whole, stores it with the next import
`sequence` and publishes it here with every file's content (about 120 KB for Sơn La's set; each file is
bounded at 2 MiB, far below the broker's 16 MiB per event), so each service stores the same set in its
own database and computes with it from then on, even after a restart. The `version` is the SHA-256 of
the normalised files: a consumer recomputes it and refuses a set whose content does not match. A
sequence lower than the one a service already holds is an older import arriving late: it changes nothing.
"""
from marshmallow import fields, validate

from .. import registry
from ._base import StrictSchema, moment

REFERENCE_CHANGED = "vn.motcua.reference.changed"
FILE_NAME = r"^(units|agencies|procedures|procedure_documents)\.csv$|^calendar/\d{4}\.csv$"


class ReferenceChanged(StrictSchema):
    sequence = fields.Integer(required=True, strict=True, validate=validate.Range(min=1), metadata={
        "description": "Intake's import number: a set replaces the one in use only when its sequence is higher."})
    version = fields.String(required=True, validate=validate.Regexp(r"^[0-9a-f]{64}$"), metadata={
        "description": "SHA-256 (hex) of the normalised files: UTF-8, NFC, LF line ends, one final newline."})
    label = fields.String(required=True, allow_none=True, validate=validate.Length(min=1, max=200), metadata={
        "description": "The first line of the set's version.txt, for people (e.g. Sơn La 2027-01), or null."})
    files = fields.Dict(
        keys=fields.String(validate=validate.Regexp(FILE_NAME)),
        values=fields.String(validate=validate.Length(max=2 * 1024 * 1024)),
        required=True, validate=validate.Length(min=4, max=64), metadata={
            "description": "Every file of the set by name (units.csv, agencies.csv, procedures.csv, "
                           "procedure_documents.csv, calendar/YYYY.csv), shipped ones included, as normalised text."})
    imported_at = moment(required=True, metadata={"description": "When intake stored the set."})


registry.register(REFERENCE_CHANGED, ReferenceChanged, producer="intake",
                  example={"sequence": 3, "version": "4123031150" + "1db3c7bf99" * 5 + "3915",
                           "label": "Sơn La 2027-01",
                           "files": {"units.csv": "code,name,level,kind,parent,valid_from,valid_to,successors,source\n",
                                     "agencies.csv": "id,unit_code,name,valid_from,valid_to,roles,sectors,note\n",
                                     "procedures.csv": "code,name,sector,level,…\n",
                                     "procedure_documents.csv": "procedure_code,position,name,copy_type,count,"
                                                                "condition\n",
                                     "calendar/2027.csv": "date,kind,name,source,pair\n"},
                           "imported_at": "2026-12-20T09:15:00+07:00"},
                  summary="An administrator imported a new set of reference data (units, agencies, procedures, "
                          "the yearly calendar); every service stores it and uses it for new work.")
