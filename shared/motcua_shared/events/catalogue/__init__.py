"""The catalogue of every event type, one module per aggregate; importing it registers them all."""
from . import calendar, dossier, history, message, route, shipment  # noqa: F401
