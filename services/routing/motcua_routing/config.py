"""Settings of the routing service beyond the common ones."""
from motcua_shared.settings import Setting

from .locality import parse_unit_patterns

SETTINGS = (
    Setting("ROUTING_LOCAL_UNITS", ("#",),
            "Comma-separated AMQP topic patterns over unit paths (docs/contracts.md §4.1): the steps of "
            "matching units are handled here, by officers through the work inboxes; every other step stays "
            "on the exchange routing.steps for an external handler. '#' means all; a pattern matching no unit (e.g. 99) means "
            "none. A district whose province runs its own routing sets 14.126,14.126.* (plus its communes' "
            "two-level paths, e.g. 14.04222, from 01/07/2025).", parse_unit_patterns),
    Setting("ROUTING_REPLY_TO", "result.motcua",
            "Routing key of this deployment's answers on routing.step-results: sent as reply_to with every "
            "step, and bound to this service's answer queue. Give each deployment sharing a broker its own "
            "(e.g. result.14.126)."),
    Setting("ROUTING_SWEEP_SECONDS", 30.0,
            "Seconds between two deadline sweeps (warnings, escalations, apologies) of a worker.", float),
    Setting("ROUTING_WARNING_WORKING_HOURS", 4.0,
            "A step or dossier is warned about when at most this many working hours (and at most a quarter "
            "of its own budget) are left before it falls due.", float),
    Setting("ROUTING_PLANS_FILE", "",
            "A route plan CSV (the columns of motcua_routing/data/route_plans.csv) that replaces the shipped "
            "plans, for a province's own internal procedures (quy trình nội bộ); empty means the shipped file."),
)
