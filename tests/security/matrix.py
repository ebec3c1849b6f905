"""The authorisation matrix: every HTTP endpoint of every service, who may call it, and how its scope
is decided. A route the services expose without an entry here fails test_authorisation_matrix.

Scope kinds:
- object: the path names an object (dossier, route, step, shipment) that belongs to a unit; outside
  the caller's scope it answers like an unknown one (404), docs/contracts.md §2.
- unit: a parameter names a unit to act on or report about; outside the caller's scope 403
  `unit_out_of_scope` (there is no object whose existence could leak).
- list: a listing filtered to the caller's scope; an object outside it is simply not listed.
- province: the province's own data (the working calendar) or an act on every unit's (reporting's
  rebuild): only an administrator of the province (unit 14) (403 `province_admin_only`).
- global: data that belongs to no unit (the templates catalogue, event counters); `why` says why it
  is not unit-confined. An address's opt-out is an object: the address of a dossier in scope.
- public: no token by design (`why` says what protects it instead).
"""
from __future__ import annotations

import io
import itertools
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Callable

from security.world import A, ADMIN, PROVINCE, UNITS, VN, WORLDS, path

OFFICERS = ("receptionist", "specialist", "leader", "admin", "auditor")
READERS = OFFICERS + ("citizen",)
DESK = ("receptionist", "admin")
HANDLERS = ("specialist", "leader")
AGENCY = ("receptionist", "specialist", "leader", "admin")  # the competent agency's decisions (intake)
REPORTERS = ("leader", "auditor", "admin")


@dataclass(frozen=True)
class Target:
    """Who calls (role, unit label of world.UNITS, sub) on an object of commune A in `world`."""

    world: str
    role: str
    unit: str  # a key of UNITS
    sub: str
    fresh: bool = False

    @property
    def unit_code(self) -> str | None:
        return UNITS[self.unit]


@dataclass(frozen=True)
class Request:
    path: str
    query: dict | None = None
    body: dict | None = None


@dataclass(frozen=True)
class Endpoint:
    service: str
    method: str
    rule: str
    roles: tuple[str, ...]  # who may call it; () for a public endpoint
    scope: str  # object, unit, list, province, global, public
    build: Callable  # (world services, Target) -> Request
    ok: tuple[int, ...] = (200,)
    hidden: tuple[int, str] = (404, "")  # the answer outside the scope
    worlds: tuple[str, ...] = WORLDS  # where an object in the required state can be made
    mutates: bool = False  # needs a fresh object per request
    variant: str = ""
    why: str = ""
    # The officer's scope decided by the unit alone (routing's unit filter accepts a unit whose path in
    # any world lies in the scope) rather than by the object's path in its world.
    any_world: bool = False
    check: Callable | None = None  # (world services, Target, answer, visible) -> None, extra assertions

    @property
    def key(self) -> tuple[str, str, str]:
        return self.service, self.method, self.rule

    @property
    def id(self) -> str:
        name = f"{self.service}:{self.method}:{self.rule}"
        return f"{name}[{self.variant}]" if self.variant else name


def visible(endpoint: Endpoint, target: Target) -> bool:
    """Whether the officer of `target` may act on commune A's object in its world."""
    if target.unit in ("none", "unknown", "wildcard"):
        return False
    unit = target.unit_code
    if endpoint.scope == "province":
        return unit == PROVINCE
    if endpoint.any_world:
        return any(unit in path(A, world).split(".") for world in WORLDS)
    return unit in path(A, target.world).split(".")


# -- request builders -----------------------------------------------------------------------------------
def period(world: str) -> dict:
    if world == "3L":
        return {"from": "2019-03-01", "to": "2019-03-31"}
    today = datetime.now(VN).date()
    return {"from": (today - timedelta(days=20)).isoformat(), "to": today.isoformat()}


def intake_dossier(state: str, suffix: str = "", body: dict | None = None):
    def build(w, t: Target) -> Request:
        code = w["intake"].dossier(t.world, A, state, fresh=t.fresh)
        return Request(f"/api/v1/dossiers/{code}{suffix}", body=body)
    return build


def intake_list(w, t: Target) -> Request:
    code = w["intake"].dossier(t.world, A, "received")
    return Request("/api/v1/dossiers", query={"q": code, "page_size": 100})


def listed(key: str, code_of: Callable):
    """Extra check of a list endpoint: the object is listed exactly when it is in scope."""
    def check(w, t: Target, answer, expected_visible: bool) -> None:
        items = {item[key] for item in answer.get_json()["items"]}
        assert (code_of(w, t) in items) == expected_visible, (sorted(items), code_of(w, t))
    return check


def new_dossier_body(w, t: Target) -> Request:
    return Request("/api/v1/dossiers", body={
        "procedure_code": "1.004884", "channel": "counter", "receiving_unit": A, "return_method": "counter",
        "applicant": {"full_name": "Lò Văn Hùng", "id_number": "014090001234", "phone": "0912345678",
                      "email": None, "address": "Bản Hưng Mai"},
        "documents": [{"name": "Tờ khai", "copy_type": "original", "count": 1}]})


CALENDAR_DAY = "2031-01-02"  # far from every appointment the tests compute


_calendar_days = itertools.count()


def calendar_delete(w, t: Target) -> Request:
    """A day the province declared off, made for this request."""
    day = date(2032, 1, 1) + timedelta(days=next(_calendar_days))
    answer = w["intake"].client.put(f"/api/v1/calendar/overrides/{day}", json={"kind": "day_off", "note": "Nghỉ bù."},
                                    headers=ADMIN)
    assert answer.status_code == 201, answer.get_json()
    return Request(f"/api/v1/calendar/overrides/{day}")


def route_of(suffix: str = "", body: Callable | None = None):
    def build(w, t: Target) -> Request:
        code, _step = w["routing"].route(t.world, A, fresh=t.fresh)
        return Request(f"/api/v1/routes/{code}{suffix}", body=body() if body else None)
    return build


def apology() -> dict:
    return {"reason": "Cần xác minh thêm thông tin.",
            "new_due_at": (datetime.now(timezone.utc) + timedelta(days=60)).isoformat()}


def step_action(action: str, body: dict | None = None, *, held: bool):
    """The first step of a fresh route: as it came (to claim), or already held by the caller."""
    def build(w, t: Target) -> Request:
        routing = w["routing"]
        code, step = routing.route(t.world, A, fresh=True)
        if held:
            routing.hold(step, t.sub)
        return Request(f"/api/v1/steps/{step}/{action}", body=body)
    return build


def send_back(w, t: Target) -> Request:
    step = w["routing"].hand_second_step_to(t.world, A, t.sub)
    return Request(f"/api/v1/steps/{step}/send-back", body={"note": "Thiếu biên bản xác minh."})


def steps_list(w, t: Target) -> Request:
    code, _ = w["routing"].route(t.world, A)
    return Request("/api/v1/steps", query={"q": code, "status": "all"})


def shipment(suffix: str = "", body: Callable | None = None):
    def build(w, t: Target) -> Request:
        sid = w["postal"].shipment(t.world, A, fresh=t.fresh)
        return Request(f"/api/v1/shipments/{sid}{suffix}", body=body() if body else None)
    return build


def partner_report() -> dict:
    return {"status": "accepted", "occurred_at": datetime.now(timezone.utc).isoformat(),
            "note": "Bưu tá Lò Văn A báo qua điện thoại."}


def report(kind: str, **extra):
    def build(w, t: Target) -> Request:
        return Request(f"/api/v1/reports/{kind}", query={"unit": A, **period(t.world), **extra})
    return build


def notification_dossier(suffix: str, body: dict | None = None):
    def build(w, t: Target) -> Request:
        return Request(f"/api/v1/dossiers/{w['notification'].dossier(t.world, A)}{suffix}", body=body)
    return build


def _shipped_units() -> str:
    from motcua_shared.reference.sets import shipped_files

    return shipped_files()["units.csv"]


def fixed(path_: str, query: dict | None = None, body: dict | None = None):
    return lambda w, t: Request(path_, query=query, body=body)


def opt_out_delete(w, t: Target) -> Request:
    return Request(f"/api/v1/opt-outs/{w['notification'].opt_out()}")


def opt_out_body(w, t: Target) -> Request:
    """The phone of a new dossier of commune A."""
    return Request("/api/v1/opt-outs", body={"channel": "sms", "address": w["notification"].contact(t.world)})


def an_import(w, t: Target) -> Request:
    """An import of one 2019 dossier of commune A, uploaded once by a province-wide administrator."""
    def make() -> str:
        received = datetime(2019, 3, 15, 8, 30, tzinfo=VN)
        record = {"code": f"H52.{A}-190315-7001", "procedure_code": "1.004884", "channel": "counter",
                  "receiving_unit": A, "applicant": {"full_name": "Lò Văn Hùng", "id_number": "014090001234"},
                  "return_method": "counter", "received_at": received.isoformat(), "steps": [],
                  "processed_at": (received + timedelta(days=2)).isoformat(), "result": "approved"}
        answer = w["intake"].client.post("/api/v1/imports", headers=ADMIN, content_type="multipart/form-data", data={
            "file": (io.BytesIO(json.dumps(record).encode()), "ho-so.jsonl")})
        assert answer.status_code == 201, answer.get_json()
        return answer.get_json()["id"]
    return Request(f"/api/v1/imports/{w['intake'].once('import', make)}")


PROVINCE_ONLY = (403, "province_admin_only")
DOSSIER_NOT_FOUND = (404, "dossier_not_found")
UNIT_OUT = (403, "unit_out_of_scope")

ENDPOINTS: list[Endpoint] = [
    # -- intake -------------------------------------------------------------------------------------------
    Endpoint("intake", "GET", "/api/v1/calendar/overrides", OFFICERS, "global", fixed("/api/v1/calendar/overrides"),
             why="the province's working calendar, the same for every unit"),
    Endpoint("intake", "PUT", "/api/v1/calendar/overrides/<string:day>", ("admin",), "province",
             fixed(f"/api/v1/calendar/overrides/{CALENDAR_DAY}", body={"kind": "day_off", "note": "Nghỉ bù."}),
             ok=(200, 201), hidden=(403, "province_admin_only"), mutates=True),
    Endpoint("intake", "DELETE", "/api/v1/calendar/overrides/<string:day>", ("admin",), "province", calendar_delete,
             ok=(204,), hidden=(403, "province_admin_only"), mutates=True),
    # Reference data (docs/reference-data.md): the set in use, and an import of one (here: the shipped units file).
    Endpoint("intake", "GET", "/api/v1/reference", OFFICERS, "global", fixed("/api/v1/reference"),
             why="which version of the reference data the process computes with: the same for every unit"),
    Endpoint("intake", "GET", "/api/v1/reference/files", OFFICERS, "global", fixed("/api/v1/reference/files"),
             why="the files of that version (units, agencies, procedures, calendar): no personal data, the same for "
                 "every unit; the console follows intake's set with whichever officer is signed in"),
    Endpoint("intake", "POST", "/api/v1/reference/sets", ("admin",), "province",
             fixed("/api/v1/reference/sets", body={"files": {"units.csv": _shipped_units()}, "label": None}),
             ok=(200, 201), hidden=(403, "province_admin_only"), mutates=True),
    Endpoint("intake", "GET", "/api/v1/dossiers", READERS, "list", intake_list,
             check=listed("code", lambda w, t: w["intake"].dossier(t.world, A, "received"))),
    Endpoint("intake", "POST", "/api/v1/dossiers", ("admin", "citizen", "receptionist"), "unit", new_dossier_body,
             ok=(201,), hidden=UNIT_OUT, worlds=("2L",), mutates=True),
    Endpoint("intake", "GET", "/api/v1/dossiers/<string:code>", READERS, "object", intake_dossier("received"),
             hidden=DOSSIER_NOT_FOUND),
    Endpoint("intake", "POST", "/api/v1/dossiers/<string:code>/acceptance", DESK, "object",
             intake_dossier("submitted", "/acceptance", {}), hidden=DOSSIER_NOT_FOUND, worlds=("2L",), mutates=True),
    Endpoint("intake", "GET", "/api/v1/dossiers/<string:code>/apology", READERS, "object",
             intake_dossier("apologised", "/apology"), hidden=DOSSIER_NOT_FOUND),
    Endpoint("intake", "GET", "/api/v1/dossiers/<string:code>/control-log", READERS, "object",
             intake_dossier("received", "/control-log"), hidden=DOSSIER_NOT_FOUND),
    Endpoint("intake", "GET", "/api/v1/dossiers/<string:code>/receipt", READERS, "object",
             intake_dossier("received", "/receipt"), hidden=DOSSIER_NOT_FOUND),
    Endpoint("intake", "POST", "/api/v1/dossiers/<string:code>/redirection", DESK, "object",
             intake_dossier("submitted", "/redirection", {"competent_unit": "04168", "reason": "Thuộc thẩm quyền xã khác."}),
             hidden=DOSSIER_NOT_FOUND, worlds=("2L",), mutates=True),
    Endpoint("intake", "POST", "/api/v1/dossiers/<string:code>/refusal", DESK, "object",
             intake_dossier("submitted", "/refusal", {"reason": "Hồ sơ không hợp lệ."}), hidden=DOSSIER_NOT_FOUND,
             worlds=("2L",), mutates=True),
    Endpoint("intake", "GET", "/api/v1/dossiers/<string:code>/refusal", READERS, "object",
             intake_dossier("refused", "/refusal"), hidden=DOSSIER_NOT_FOUND, worlds=("2L",)),
    Endpoint("intake", "POST", "/api/v1/dossiers/<string:code>/return", DESK, "object",
             intake_dossier("processed", "/return", {"method": "counter"}), hidden=DOSSIER_NOT_FOUND, mutates=True),
    Endpoint("intake", "POST", "/api/v1/dossiers/<string:code>/supplement", DESK, "object",
             intake_dossier("processing_supplement", "/supplement", {}), hidden=DOSSIER_NOT_FOUND, mutates=True),
    Endpoint("intake", "POST", "/api/v1/dossiers/<string:code>/supplement-request", DESK, "object",
             intake_dossier("submitted", "/supplement-request", {"note": "Thiếu tờ khai."}), hidden=DOSSIER_NOT_FOUND,
             worlds=("2L",), mutates=True),
    Endpoint("intake", "GET", "/api/v1/dossiers/<string:code>/supplement-request", READERS, "object",
             intake_dossier("supplement_required", "/supplement-request"), hidden=DOSSIER_NOT_FOUND, worlds=("2L",)),
    # The competent agency's decisions (issue 14): its officers, or the desk recording them.
    Endpoint("intake", "POST", "/api/v1/dossiers/<string:code>/stop", AGENCY, "object",
             intake_dossier("received", "/stop", {"ground": "other", "reason": "Lý do khác."}),
             hidden=DOSSIER_NOT_FOUND, mutates=True),
    Endpoint("intake", "GET", "/api/v1/dossiers/<string:code>/stop-notice", READERS, "object",
             intake_dossier("stopped", "/stop-notice"), hidden=DOSSIER_NOT_FOUND),
    Endpoint("intake", "POST", "/api/v1/dossiers/<string:code>/payment-request", AGENCY, "object",
             intake_dossier("in_progress", "/payment-request", {"obligation": "fee", "amount_vnd": 10000,
                                                                 "purpose": "Lệ phí"}),
             hidden=DOSSIER_NOT_FOUND, mutates=True),
    Endpoint("intake", "POST", "/api/v1/dossiers/<string:code>/payment", DESK, "object",
             intake_dossier("awaiting_payment", "/payment", {"method": "cash", "receipt_number": "BL-1"}),
             hidden=DOSSIER_NOT_FOUND, mutates=True),
    Endpoint("intake", "POST", "/api/v1/dossiers/<string:code>/withdrawal", DESK, "object",
             intake_dossier("withdrawal_requested", "/withdrawal", {}), hidden=DOSSIER_NOT_FOUND, mutates=True),
    Endpoint("intake", "POST", "/api/v1/dossiers/<string:code>/withdrawal-request", ("admin", "citizen", "receptionist"),
             "object", intake_dossier("received", "/withdrawal-request", {}), hidden=DOSSIER_NOT_FOUND, mutates=True),
    # A file of past dossiers holds every unit's: only the province's administrator brings one in.
    Endpoint("intake", "GET", "/api/v1/imports", ("admin",), "province", fixed("/api/v1/imports"),
             hidden=PROVINCE_ONLY),
    Endpoint("intake", "POST", "/api/v1/imports", ("admin",), "province", fixed("/api/v1/imports"),
             ok=(415,), hidden=PROVINCE_ONLY),  # no file sent: refused for that, once the caller may import
    Endpoint("intake", "GET", "/api/v1/imports/<string:import_id>", ("admin",), "province", an_import,
             hidden=PROVINCE_ONLY),
    Endpoint("intake", "GET", "/api/v1/imports/templates/<string:name>", ("admin",), "global",
             fixed("/api/v1/imports/templates/mau-nhap-ho-so.csv"),
             why="the import templates hold sample records only: any administrator may read them"),
    Endpoint("intake", "GET", "/api/v1/logbook", OFFICERS, "unit",
             lambda w, t: Request("/api/v1/logbook", query={"unit": A, "format": "json", **period(t.world)}),
             hidden=UNIT_OUT),
    Endpoint("intake", "GET", "/api/v1/procedures", (), "public", fixed("/api/v1/procedures"),
             why="the published catalogue of procedures"),
    Endpoint("intake", "GET", "/api/v1/public/dossiers/<string:code>", (), "public",
             lambda w, t: Request(f"/api/v1/public/dossiers/{w['intake'].dossier('2L', A, 'received')}",
                                  query={"id_number": "014090001234"}),
             why="the citizen's lookup: the applicant's identity number stands for the token"),
    Endpoint("intake", "GET", "/tra-cuu", (), "public", fixed("/tra-cuu"), why="the lookup page (HTML form)"),
    Endpoint("intake", "POST", "/tra-cuu", (), "public", fixed("/tra-cuu"),
             ok=(422,), why="the lookup page's form: needs code and identity number like the API"),
    # -- routing ------------------------------------------------------------------------------------------
    Endpoint("routing", "GET", "/api/v1/routes/<string:dossier_code>", OFFICERS, "object", route_of(),
             hidden=(404, "route_not_found")),
    Endpoint("routing", "POST", "/api/v1/routes/<string:dossier_code>/apology", ("leader",), "object",
             route_of("/apology", apology), ok=(201,), hidden=(404, "route_not_found"), mutates=True),
    Endpoint("routing", "GET", "/api/v1/steps", OFFICERS, "list", steps_list,
             check=listed("dossier_code", lambda w, t: w["routing"].route(t.world, A)[0])),
    Endpoint("routing", "GET", "/api/v1/steps", OFFICERS, "unit", fixed("/api/v1/steps", query={"unit": A}),
             hidden=UNIT_OUT, variant="unit filter", any_world=True),
    Endpoint("routing", "POST", "/api/v1/steps/<string:step_id>/claim", HANDLERS, "object",
             step_action("claim", held=False), hidden=(404, "step_not_found"), mutates=True),
    Endpoint("routing", "POST", "/api/v1/steps/<string:step_id>/complete", HANDLERS, "object",
             step_action("complete", {"outcome": "approved"}, held=True), hidden=(404, "step_not_found"), mutates=True),
    Endpoint("routing", "POST", "/api/v1/steps/<string:step_id>/forward", HANDLERS, "object",
             step_action("forward", {"to_officer": "chuyen-vien-khac"}, held=True), hidden=(404, "step_not_found"),
             mutates=True),
    Endpoint("routing", "POST", "/api/v1/steps/<string:step_id>/send-back", HANDLERS, "object", send_back,
             hidden=(404, "step_not_found"), mutates=True),
    # -- notification -------------------------------------------------------------------------------------
    Endpoint("notification", "POST", "/api/v1/delivery-receipts/<string:provider>", (), "public",
             fixed("/api/v1/delivery-receipts/sms-gateway", body={"reference": "gw-1", "status": "delivered"}),
             ok=(401,), why="the SMS provider's receipts: an HMAC signature of the body stands for the token"),
    Endpoint("notification", "PUT", "/api/v1/dossiers/<string:code>/channels", DESK, "object",
             notification_dossier("/channels", {"sms": True, "email": True}), hidden=DOSSIER_NOT_FOUND),
    Endpoint("notification", "GET", "/api/v1/dossiers/<string:code>/messages", OFFICERS, "object",
             notification_dossier("/messages"), hidden=DOSSIER_NOT_FOUND),
    # An address's opt-out is province-wide: a desk records it (or lifts it) only for the address of a
    # dossier in its scope (issue 15), and answers as for an unknown address otherwise.
    Endpoint("notification", "POST", "/api/v1/opt-outs", DESK, "object", opt_out_body, mutates=True,
             hidden=(404, "address_not_found"), worlds=("2L",)),
    Endpoint("notification", "DELETE", "/api/v1/opt-outs/<string:opt_out_id>", DESK, "object", opt_out_delete,
             ok=(204,), mutates=True, hidden=(404, "opt_out_not_found"), worlds=("2L",)),
    Endpoint("notification", "GET", "/api/v1/templates", OFFICERS, "global", fixed("/api/v1/templates"),
             why="the message templates, the same for every unit"),
    Endpoint("notification", "GET", "/api/v1/templates/<string:key>", OFFICERS, "global",
             fixed("/api/v1/templates/dossier_received"), why="one template"),
    Endpoint("notification", "POST", "/api/v1/templates/<string:key>/preview", OFFICERS, "global",
             fixed("/api/v1/templates/dossier_received/preview", body={"channel": "sms"}),
             why="a template rendered with sample values, no dossier's data"),
    Endpoint("notification", "GET", "/api/v1/unsubscribe", (), "public", fixed("/api/v1/unsubscribe", {"t": "x"}),
             ok=(404,), why="the e-mail's link: a token signed with NOTIFICATION_SECRET stands for the login"),
    Endpoint("notification", "POST", "/api/v1/unsubscribe", (), "public", fixed("/api/v1/unsubscribe", {"t": "x"}),
             ok=(404,), why="the one-click unsubscribe (RFC 8058), the same signed token"),
    Endpoint("notification", "GET", "/api/v1/contact-confirmations", (), "public",
             fixed("/api/v1/contact-confirmations", {"t": "x"}), ok=(404,),
             why="the receipt e-mail's link to confirm a typed address: a signed token stands for the login"),
    Endpoint("notification", "POST", "/api/v1/contact-confirmations", (), "public",
             fixed("/api/v1/contact-confirmations", {"t": "x"}), ok=(404,),
             why="confirming the address the signed token names"),
    # -- postal -------------------------------------------------------------------------------------------
    Endpoint("postal", "GET", "/api/v1/shipments", OFFICERS, "list",
             lambda w, t: Request("/api/v1/shipments", query={"dossier_code": _shipment_dossier(w, t)}),
             check=listed("dossier_code", lambda w, t: _shipment_dossier(w, t))),
    Endpoint("postal", "GET", "/api/v1/shipments/<string(maxlength=64):shipment_id>", OFFICERS, "object", shipment(),
             hidden=(404, "shipment_not_found")),
    Endpoint("postal", "POST", "/api/v1/shipments/<string(maxlength=64):shipment_id>/reports",
             ("admin", "leader", "receptionist"), "object", shipment("/reports", partner_report), ok=(201,),
             hidden=(404, "shipment_not_found"), mutates=True),
    Endpoint("postal", "GET", "/api/v1/shipments/overdue", OFFICERS, "list",
             fixed("/api/v1/shipments/overdue", {"page_size": 100}), worlds=("3L",),  # only 2019's are overdue
             check=listed("shipment_id", lambda w, t: w["postal"].shipment("3L", A))),
    # -- reporting ----------------------------------------------------------------------------------------
    # Rebuilding replaces every unit's figures: the province's administrator only (issue 15). It is queued
    # as a job (202); while one waits, another request answers 409 `job_running` with it (no worker here).
    Endpoint("reporting", "POST", "/api/v1/admin/projections/rebuild", ("admin",), "province",
             fixed("/api/v1/admin/projections/rebuild"), ok=(202, 409), hidden=PROVINCE_ONLY),
    Endpoint("reporting", "GET", "/api/v1/admin/jobs/<string(length=36):job_id>", ("admin",), "province",
             lambda w, t: Request(f"/api/v1/admin/jobs/{w['reporting'].job()}"), hidden=PROVINCE_ONLY),
    Endpoint("reporting", "GET", "/api/v1/reports/breakdown", REPORTERS, "unit", report("breakdown", by="channel"),
             hidden=UNIT_OUT),
    Endpoint("reporting", "GET", "/api/v1/reports/dossiers", REPORTERS, "unit",
             report("dossiers", figure="received.total"), hidden=UNIT_OUT),
    Endpoint("reporting", "GET", "/api/v1/reports/event-counts", REPORTERS, "global",
             fixed("/api/v1/reports/event-counts"),
             why="how many events of each type the service took in: operational counters, no unit's data"),
    Endpoint("reporting", "GET", "/api/v1/reports/periods", REPORTERS, "global",
             fixed("/api/v1/reports/periods", query={"year": 2019}),
             why="the official reporting periods of a year (fixed by decree): dates, no unit's data"),
    Endpoint("reporting", "GET", "/api/v1/reports/indicators", REPORTERS, "unit", report("indicators"),
             hidden=UNIT_OUT),
    Endpoint("reporting", "GET", "/api/v1/reports/summary", REPORTERS, "unit", report("summary"),
             hidden=UNIT_OUT),
    Endpoint("reporting", "GET", "/api/v1/reports/trend", REPORTERS, "unit", report("trend"),
             hidden=UNIT_OUT),
    Endpoint("reporting", "GET", "/dashboard", (), "public", fixed("/dashboard"),
             why="the dashboard page only; its figures come from the report API with the officer's token"),
]


def _shipment_dossier(w, t: Target) -> str:
    return w["postal"].dossier_of(w["postal"].shipment(t.world, A))


# Operational routes every service has, checked by tests/integration/test_operations_endpoints.py.
INFRASTRUCTURE = {"/healthz", "/readyz", "/metrics", "/openapi.json", "/docs"}


def infrastructure(rule: str) -> bool:
    return rule in INFRASTRUCTURE or rule.startswith("/static/") or rule.startswith("/dashboard/static/")
