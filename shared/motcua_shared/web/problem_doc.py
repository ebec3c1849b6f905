"""The OpenAPI documents describe errors as they are sent: application/problem+json (errors.problem).

flask-smorest documents its own error envelope ({code: int, status: str, message, errors}) as
application/json for every error response; a client generated from that, or a contract test, would
read our errors wrong. ServiceApi documents the problem document instead, with the same media type.
"""
from __future__ import annotations

import http

from flask_smorest import Api
from flask_smorest.utils import prepare_response
from marshmallow import INCLUDE, Schema, fields

from .errors import PROBLEM_CONTENT_TYPE


class InvalidParam(Schema):
    name = fields.String(required=True, metadata={"description": "Trường không hợp lệ, ví dụ applicant.phone"})
    code = fields.String(required=True, metadata={"description": "Mã lỗi máy đọc được của trường"})
    reason = fields.String(required=True, metadata={"description": "Lý do (tiếng Việt)"})
    line = fields.Integer(metadata={"description": "In an uploaded file's report (bulk import): the line where the "
                                                   "record starts; 0 for the file as a whole."})


class Problem(Schema):
    class Meta:
        unknown = INCLUDE  # RFC 9457 lets a problem type add extension members

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    code = fields.String(required=True, metadata={"description": "Mã lỗi máy đọc được, ví dụ validation_failed"})
    detail = fields.String()
    invalid_params = fields.List(fields.Nested(InvalidParam))


class ServiceApi(Api):
    ERROR_SCHEMA = Problem

    def _register_responses(self):
        """flask-smorest's, with the problem media type instead of DEFAULT_RESPONSE_CONTENT_TYPE."""
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_CONTENT_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Default error response", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_CONTENT_TYPE)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)
