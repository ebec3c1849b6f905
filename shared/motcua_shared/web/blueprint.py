"""The Blueprint every service's API is built from: flask-smorest's, with strict argument parsing.

flask-smorest parses a view's arguments with the *blueprint's* ARGUMENTS_PARSER, so strictness is
set here, once, rather than on the Api object or per resource.
"""
from flask_smorest import Blueprint as SmorestBlueprint
from marshmallow import RAISE
from webargs.flaskparser import FlaskParser


class StrictParser(FlaskParser):
    """Unknown query parameters are rejected too: a mistyped filter must not silently match everything."""

    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "query": RAISE, "querystring": RAISE}


class Blueprint(SmorestBlueprint):
    ARGUMENTS_PARSER = StrictParser()
