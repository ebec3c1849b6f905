"""Building blocks shared by the event data schemas."""
from marshmallow import RAISE, Schema, fields, validate

# Official codes (Decision 124/2004): province 2 digits, district 3, commune 5.
UNIT_CODE = validate.Regexp(r"^(\d{2}|\d{3}|\d{5})$")
# "14", "14.126", "14.126.04222" (three levels) or "14.04222" (two levels), contracts.md §3.
UNIT_PATH = validate.Regexp(r"^\d{2}(\.\d{3})?(\.\d{5})?$")
CHANNELS = ("counter", "online", "postal")
RETURN_METHODS = ("counter", "postal", "online")


class StrictSchema(Schema):
    """Unknown fields are an error, never silently dropped (contracts.md §5, style.md item 5)."""

    class Meta:
        unknown = RAISE


def moment(**kwargs) -> fields.AwareDateTime:
    return fields.AwareDateTime(format="iso", **kwargs)
