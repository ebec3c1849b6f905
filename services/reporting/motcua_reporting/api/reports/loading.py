"""What every report endpoint does first: check the caller may see the unit, then read the report."""
from motcua_shared.web.app import runtime
from motcua_shared.web.auth import REPORT_READERS, current_principal

from ...statistics.attribution import COMPETENT, RECEIVING
from ...statistics.period import Period
from ...statistics.report import Report
from ...statistics.scope import resolve

REPORT_ROLES = REPORT_READERS


def file_doc(schema: str) -> dict:
    """The 200 answer in its three formats (`format=json|csv|xlsx`)."""
    return {"responses": {"200": {"description": "OK", "content": {
        "application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}},
        "text/csv": {"schema": {"type": "string"}},
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type": "string",
                                                                                         "format": "binary"}},
    }}}}


def load_report(args: dict) -> Report:
    period = Period(args["from_"], args["to"])
    scope = resolve(args["unit"], period, current_principal())
    with runtime().sessions() as session:
        return Report(session, scope, period, args.get("attribution", RECEIVING))


def file_name(kind: str, args: dict) -> str:
    by = "_co-quan-giai-quyet" if args.get("attribution") == COMPETENT else ""
    return f"{kind}{by}_{args['unit']}_{args['from_']:%Y-%m-%d}_{args['to']:%Y-%m-%d}"
