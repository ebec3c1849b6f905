"""Building blocks shared by the event data schemas."""
from marshmallow import RAISE, Schema, fields

from ...patterns import UNIT_CODE, UNIT_PATH  # noqa: F401 (the catalogue's modules import them from here)
CHANNELS = ("counter", "online", "postal")
RETURN_METHODS = ("counter", "postal", "online")


class StrictSchema(Schema):
    """Unknown fields are an error, never silently dropped (docs/contracts.md §5, docs/style.md item 5)."""

    class Meta:
        unknown = RAISE


def moment(**kwargs) -> fields.AwareDateTime:
    return fields.AwareDateTime(format="iso", **kwargs)
