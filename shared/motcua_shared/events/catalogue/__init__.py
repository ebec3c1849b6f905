"""The catalogue of every event type, one module per aggregate; importing it registers them all."""
from . import calendar, dossier, history, message, route, shipment  # noqa: F401
# The lifecycle's later additions (issue 14): the agency's stop, the financial obligation, the desk's time limit.
from . import acceptance, payment, stop  # noqa: F401
# The 2025 transition (issue 14): steps handed to the successor agencies.
from . import handover  # noqa: F401
# The calendar as data (issue 14): a declared day off moves the open appointments.
from . import reschedule  # noqa: F401
# Reference data outside the image (issue 16): a set imported at intake reaches every service.
from . import reference  # noqa: F401
