"""What officers look at: the work inbox (the local steps of their scope, most urgent first) and the
route of a dossier with its control log."""
from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from motcua_shared.web.auth import Principal
from motcua_shared.web.errors import Forbidden, NotFound
from motcua_shared.web.scope import clause, covers_unit, found_in_scope

from . import reference, routes
from .models import STEP_OPEN, dossier_routes, handovers, route_steps

CLOSED = ("completed", "sent_back", "cancelled", "handed_over")

# The inbox's base statements, built once; each request adds its conditions.
_JOINED = route_steps.join(dossier_routes, dossier_routes.c.id == route_steps.c.route_id)
_PAGE = (select(route_steps, dossier_routes.c.procedure_code, func.count().over().label("total"))
         .select_from(_JOINED).order_by(route_steps.c.due_at, route_steps.c.id))
_COUNT = select(func.count()).select_from(_JOINED)
_STEP_COLUMNS = tuple(route_steps.c.keys())


def list_steps(session: Session, principal: Principal, query: dict) -> tuple[list[tuple[dict, str]], int]:
    """((step, procedure code) of the page, total); a `unit` outside the scope is refused (403)."""
    s, r = route_steps.c, dossier_routes.c
    conditions = [s.local_at.is_not(None), clause(principal, s.unit_path)]
    if query["unit"]:
        if not covers_unit(principal, query["unit"]):  # in any of the unit's versions
            raise Forbidden("Đơn vị nằm ngoài phạm vi của cán bộ.", code="unit_out_of_scope")
        conditions.append(s.unit == query["unit"])
    conditions.append({
        "open": s.status.in_(STEP_OPEN), "unclaimed": s.status == "assigned",
        "mine": (s.status == "claimed") & (s.claimed_by == principal.sub),
        "closed": s.status.in_(CLOSED), "all": s.status.in_((*STEP_OPEN, *CLOSED)),
    }[query["status"]])
    if query["agency"]:
        conditions.append(s.agency_id == query["agency"])
    if query["procedure_code"]:
        conditions.append(r.procedure_code == query["procedure_code"])
    if query["q"]:
        codes = [p.code for p in reference.catalogue().search(query["q"])]
        code_prefix = func.upper(s.dossier_code).startswith(query["q"].strip().upper(), autoescape=True)
        conditions.append(or_(code_prefix, r.procedure_code.in_(codes)))
    # The page and the total in one statement: each row carries the count of all rows matching (a window
    # over the whole result, computed before LIMIT), where a count query and a page query were two.
    rows = session.execute(_PAGE.where(*conditions).limit(query["page_size"])
                           .offset((query["page"] - 1) * query["page_size"])).mappings().all()
    if rows:
        total = rows[0]["total"]
    elif query["page"] == 1:
        total = 0
    else:  # a page past the end has no row to carry the total
        total = session.execute(_COUNT.where(*conditions)).scalar_one()
    return [({name: row[name] for name in _STEP_COLUMNS}, row["procedure_code"]) for row in rows], total


def visible_route(session: Session, principal: Principal, dossier_code: str, *,
                  lock: bool = False) -> tuple[dict, list[dict]]:
    """(route, steps) when the officer's scope holds the receiving unit or a step's unit; else 404."""
    route = routes.find_route(session, dossier_code, lock=lock)
    steps = routes.steps_of(session, route["id"]) if route else []
    found_in_scope(principal, route, lambda r: (r["receiving_unit_path"], *(step["unit_path"] for step in steps)),
                   NotFound("Không tìm thấy hồ sơ trong phạm vi của bạn.", code="route_not_found"))
    return route, steps


def handovers_of(session: Session, route_id: int) -> list[dict]:
    rows = session.execute(select(handovers).where(handovers.c.route_id == route_id)
                           .order_by(handovers.c.occurred_at, handovers.c.id)).mappings()
    return [dict(row) for row in rows]
