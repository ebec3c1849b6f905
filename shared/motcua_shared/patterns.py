"""Format rules of codes, applied the way the published documents (JSON Schema, OpenAPI) read them.

Those documents' readers use ECMA regular expressions. Python's `re.match` reads the same pattern
more loosely: `$` also matches before a final newline and `\\d` takes the digits of every script.
So "04222\\n" or Arabic-Indic digits passed a plain `validate.Regexp`, to overflow a fixed-width
column (a 500) or be stored where no lookup finds them. `Pattern` matches the whole value, in ASCII.
"""
from __future__ import annotations

import re

from marshmallow import ValidationError, validate


class Pattern(validate.Regexp):
    def __init__(self, pattern: str, **kwargs):
        super().__init__(pattern, flags=re.ASCII, **kwargs)

    def __call__(self, value):
        if self.regex.fullmatch(value) is None:
            raise ValidationError(self._format_error(value))
        return value


# Official codes (Decision 124/2004): province 2 digits, district 3, commune 5.
UNIT_CODE_PATTERN = r"^(\d{2}|\d{3}|\d{5})$"
UNIT_CODE = Pattern(UNIT_CODE_PATTERN)
# "14", "14.126", "14.126.04222" (three levels) or "14.04222" (two levels), docs/contracts.md §3.
UNIT_PATH = Pattern(r"^\d{2}(\.\d{3})?(\.\d{5})?$")
