"""marshmallow's and webargs' default field errors in Vietnamese, each with its stable machine code.

Every problem document's title and detail are Vietnamese; the reasons under them are written here,
once, for every schema of every service. They are translated when the error is flattened into
`invalid_params` (errors.flatten), not by changing marshmallow's classes: a schema declared before
any patch ran, a message a validator raises itself ("Missing data for required field." in a
`validates_schema`) and webargs' own messages are all caught the same way, and nothing depends on
import order. A message this table does not know (one a service wrote in Vietnamese, or
"code=...: ...") passes through unchanged.

Each entry is keyed by where marshmallow defines the message (class, error key) and holds the
English text marshmallow produces, the code partners branch on and the Vietnamese reason. The codes
are those `invalid_params[].code` has always carried for these messages: do not change one.
Placeholders ({min}, {choices} ...) carry the values marshmallow put in the message, unchanged.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class FieldMessage:
    source: str      # where marshmallow (or webargs) defines it: "Class.error_key"
    code: str        # invalid_params[].code, stable
    english: str     # marshmallow's text, placeholders in braces
    vietnamese: str  # the reason we answer, same placeholders


def _m(source: str, code: str, english: str, vietnamese: str) -> FieldMessage:
    return FieldMessage(source, code, english, unicodedata.normalize("NFC", vietnamese))


MESSAGES: tuple[FieldMessage, ...] = (
    # marshmallow.fields.Field and marshmallow.Schema: every field, every schema.
    _m("Field.required", "required", "Missing data for required field.", "Trường này là bắt buộc."),
    _m("Field.null", "null_not_allowed", "Field may not be null.", "Trường này không được để rỗng (null)."),
    _m("Field.validator_failed", "invalid", "Invalid value.", "Giá trị không hợp lệ."),
    _m("Schema.type", "invalid_type", "Invalid input type.", "Kiểu dữ liệu đầu vào không hợp lệ."),
    _m("Schema.unknown", "unknown_field", "Unknown field.", "Trường không được hỗ trợ."),
    _m("Nested.type", "invalid", "Invalid type.", "Kiểu dữ liệu không hợp lệ."),
    # One "invalid" per field type.
    _m("String.invalid", "invalid_type", "Not a valid string.", "Không phải chuỗi ký tự hợp lệ."),
    _m("String.invalid_utf8", "invalid_type", "Not a valid utf-8 string.", "Không phải chuỗi UTF-8 hợp lệ."),
    _m("Number.invalid", "invalid_type", "Not a valid number.", "Không phải số hợp lệ."),
    _m("Number.too_large", "invalid", "Number too large.", "Số quá lớn."),
    _m("Integer.invalid", "invalid_type", "Not a valid integer.", "Không phải số nguyên hợp lệ."),
    _m("Float.special", "invalid", "Special numeric values (nan or infinity) are not permitted.",
       "Không chấp nhận giá trị số đặc biệt (nan hoặc vô cực)."),
    _m("Boolean.invalid", "invalid_type", "Not a valid boolean.", "Không phải giá trị đúng/sai (boolean) hợp lệ."),
    _m("DateTime.invalid", "invalid_type", "Not a valid datetime.", "Không phải ngày giờ hợp lệ."),
    _m("AwareDateTime.invalid_awareness", "invalid_type", "Not a valid aware datetime.",
       "Không phải ngày giờ hợp lệ có múi giờ."),
    _m("NaiveDateTime.invalid_awareness", "invalid_type", "Not a valid naive datetime.",
       "Không phải ngày giờ hợp lệ không kèm múi giờ."),
    _m("Date.invalid", "invalid_type", "Not a valid date.", "Không phải ngày hợp lệ."),
    _m("Time.invalid", "invalid_type", "Not a valid time.", "Không phải giờ hợp lệ."),
    _m("TimeDelta.invalid", "invalid_type", "Not a valid period of time.", "Không phải khoảng thời gian hợp lệ."),
    _m("UUID.invalid_uuid", "invalid_type", "Not a valid UUID.", "Không phải UUID hợp lệ."),
    _m("List.invalid", "invalid_type", "Not a valid list.", "Không phải danh sách hợp lệ."),
    _m("Tuple.invalid", "invalid_type", "Not a valid tuple.", "Không phải bộ giá trị (tuple) hợp lệ."),
    _m("Mapping.invalid", "invalid_type", "Not a valid mapping type.", "Không phải đối tượng (mapping) hợp lệ."),
    _m("Url.invalid", "invalid_type", "Not a valid URL.", "Không phải địa chỉ URL hợp lệ."),
    _m("Email.invalid", "invalid_type", "Not a valid email address.", "Không phải địa chỉ email hợp lệ."),
    _m("IP.invalid_ip", "invalid_type", "Not a valid IP address.", "Không phải địa chỉ IP hợp lệ."),
    _m("IPv4.invalid_ip", "invalid_type", "Not a valid IPv4 address.", "Không phải địa chỉ IPv4 hợp lệ."),
    _m("IPv6.invalid_ip", "invalid_type", "Not a valid IPv6 address.", "Không phải địa chỉ IPv6 hợp lệ."),
    _m("IPInterface.invalid_ip_interface", "invalid_type", "Not a valid IP interface.",
       "Không phải giao diện IP hợp lệ."),
    _m("IPv4Interface.invalid_ip_interface", "invalid_type", "Not a valid IPv4 interface.",
       "Không phải giao diện IPv4 hợp lệ."),
    _m("IPv6Interface.invalid_ip_interface", "invalid_type", "Not a valid IPv6 interface.",
       "Không phải giao diện IPv6 hợp lệ."),
    # marshmallow.validate (and fields.Enum, which shares OneOf's text).
    _m("OneOf.default_message", "invalid_choice", "Must be one of: {choices}.", "Phải là một trong: {choices}."),
    _m("Length.message_all", "invalid_length", "Length must be between {min} and {max}.",
       "Độ dài phải từ {min} đến {max}."),
    _m("Length.message_equal", "invalid_length", "Length must be {equal}.", "Độ dài phải bằng {equal}."),
    _m("Length.message_min", "invalid_length", "Shorter than minimum length {min}.", "Độ dài tối thiểu là {min}."),
    _m("Length.message_max", "invalid_length", "Longer than maximum length {max}.", "Độ dài tối đa là {max}."),
    _m("Regexp.default_message", "invalid_format", "String does not match expected pattern.",
       "Không đúng định dạng."),
    _m("Equal.default_message", "invalid", "Must be equal to {other}.", "Phải bằng {other}."),
    _m("Predicate.default_message", "invalid", "Invalid input.", "Dữ liệu không hợp lệ."),
    _m("ContainsOnly.default_message", "invalid", "One or more of the choices you made was not in: {choices}.",
       "Có lựa chọn không nằm trong: {choices}."),
    _m("ContainsNoneOf.default_message", "invalid", "One or more of the choices you made was in: {values}.",
       "Có lựa chọn thuộc các giá trị không được phép: {values}."),
    # Range: marshmallow writes the operators into its templates; every combination is spelled out.
    _m("Range.message_all", "out_of_range", "Must be greater than or equal to {min} and less than or equal to {max}.",
       "Phải từ {min} đến {max}."),
    _m("Range.message_all", "out_of_range", "Must be greater than {min} and less than or equal to {max}.",
       "Phải lớn hơn {min} và nhỏ hơn hoặc bằng {max}."),
    _m("Range.message_all", "out_of_range", "Must be greater than or equal to {min} and less than {max}.",
       "Phải lớn hơn hoặc bằng {min} và nhỏ hơn {max}."),
    _m("Range.message_all", "out_of_range", "Must be greater than {min} and less than {max}.",
       "Phải lớn hơn {min} và nhỏ hơn {max}."),
    _m("Range.message_min", "out_of_range", "Must be greater than or equal to {min}.", "Phải lớn hơn hoặc bằng {min}."),
    _m("Range.message_min", "out_of_range", "Must be greater than {min}.", "Phải lớn hơn {min}."),
    _m("Range.message_max", "out_of_range", "Must be less than or equal to {max}.", "Phải nhỏ hơn hoặc bằng {max}."),
    _m("Range.message_max", "out_of_range", "Must be less than {max}.", "Phải nhỏ hơn {max}."),
)

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _pattern(english: str) -> re.Pattern[str]:
    """"Length must be between {min} and {max}." → a regex capturing min and max."""
    parts = _PLACEHOLDER.split(english)  # literal, name, literal, name, ..., literal
    regex = "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts))
    return re.compile(regex, re.DOTALL)


# Exact texts first (a dict lookup), then templates, the longest literal text first, so that
# "Length must be between 1 and 5." is read as message_all, not as message_equal with equal="between 1 and 5".
_EXACT = {m.english: m for m in MESSAGES if not _PLACEHOLDER.search(m.english)}
_TEMPLATES = sorted(((m, _pattern(m.english)) for m in MESSAGES if _PLACEHOLDER.search(m.english)),
                    key=lambda entry: -len(_PLACEHOLDER.sub("", entry[0].english)))


def translate(message: str) -> tuple[str, str] | None:
    """(code, Vietnamese reason) for one of marshmallow's default messages, None for any other."""
    known = _EXACT.get(message)
    if known is not None:
        return known.code, known.vietnamese
    for entry, pattern in _TEMPLATES:
        found = pattern.fullmatch(message)
        if found:
            return entry.code, entry.vietnamese.format(**found.groupdict())
    return None
