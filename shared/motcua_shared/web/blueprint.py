"""The Blueprint every service's API is built from: flask-smorest's, with strict argument parsing.

flask-smorest parses a view's arguments with the *blueprint's* ARGUMENTS_PARSER, so strictness is
set here, once, rather than on the Api object or per resource.
"""
from flask_smorest import Blueprint as SmorestBlueprint
from marshmallow import RAISE, Schema, fields
from webargs import missing
from webargs.flaskparser import FlaskParser, is_json_request

from . import json_input
from .errors import ApiError, Invalid


class StrictParser(FlaskParser):
    """Unknown query parameters are rejected too: a mistyped filter must not silently match everything."""

    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "query": RAISE, "querystring": RAISE}

    def load_querystring(self, req, schema):
        """A one-value parameter sent twice (?status=a&status=b) is refused, not silently read as its first
        value: only list parameters take repeats."""
        lists = {f.data_key or name for name, f in schema.fields.items() if isinstance(f, fields.List)}
        repeated = sorted(key for key in req.args if key not in lists and len(req.args.getlist(key)) > 1)
        if repeated:
            raise Invalid("Một hoặc nhiều trường không hợp lệ.", invalid_params=[
                {"name": key, "code": "repeated_parameter", "reason": "Tham số chỉ được gửi một lần."} for key in repeated])
        return super().load_querystring(req, schema)

    def _raw_load_json(self, req):
        """A body that is not declared JSON is refused (415) rather than read as "no body", which would
        answer a misleading list of missing fields; a JSON body goes through json_input's limits."""
        body = req.get_data(cache=True)
        if not is_json_request(req):
            # A form body may already have been read into req.form (the stream is then empty).
            if body or req.content_length or req.form or req.files:
                raise ApiError("Nội dung phải là JSON (Content-Type: application/json).", status=415,
                               code="unsupported_media_type", title="Kiểu nội dung không được hỗ trợ")
            return missing
        return json_input.remember(req.environ, json_input.parse(body))


class Blueprint(SmorestBlueprint):
    ARGUMENTS_PARSER = StrictParser()

    def arguments(self, schema, *args, **kwargs):
        """Given a schema class, webargs would build an instance (and copy every field of it and of its
        nested schemas) on each request: build it once here. A marshmallow schema keeps no state between
        loads, so one instance serves every request and thread; the OpenAPI document names it by its
        class as before."""
        if isinstance(schema, type) and issubclass(schema, Schema):
            schema = schema()
        return super().arguments(schema, *args, **kwargs)
