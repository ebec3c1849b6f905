"""The blueprint class of intake's resources.

flask-smorest parses arguments with the blueprint's ARGUMENTS_PARSER, not the Api's, so the shared app
factory's strict parser never reaches the views: without this a mistyped query parameter (`?stauts=`)
would silently match everything.
"""
from flask_smorest import Blueprint as SmorestBlueprint

from motcua_shared.web.app import StrictParser


class Blueprint(SmorestBlueprint):
    ARGUMENTS_PARSER = StrictParser()
