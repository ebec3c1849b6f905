"""intake: dossiers, the reception desk's actions, printable forms, the logbook, procedures, calendar,
and the import of a district's past dossiers."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from .base import ApiClient, Invalid, Raw

IMPORT_CONTENT_TYPES = {"csv": "text/csv", "jsonl": "application/jsonl",
                        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@dataclass(frozen=True)
class ImportProblem:
    """One line of intake's report on a refused file: where (line 0 is the file as a whole), which
    field, the machine code and the reason, which intake writes in Vietnamese for the officer."""
    line: int
    field: str
    code: str
    reason: str


class ImportRejected(Invalid):
    """422 `import_invalid`: the file has problems and nothing was stored. `problems` holds the first
    ones intake lists (1000 at most), `total` how many it found in all."""

    @property
    def problems(self) -> tuple[ImportProblem, ...]:
        found = []
        for param in self.problem.invalid_params:
            try:
                line = int(param.get("line") or 0)
            except (TypeError, ValueError):
                line = 0
            found.append(ImportProblem(line=line, field=str(param.get("name") or ""),
                                       code=str(param.get("code") or ""), reason=str(param.get("reason") or "")))
        return tuple(found)

    @property
    def total(self) -> int:
        try:
            return int(self.problem.raw.get("errors_total"))
        except (TypeError, ValueError):
            return len(self.problem.invalid_params)


class FileTooLarge(Invalid):
    """413 `file_too_large`: beyond intake's INTAKE_IMPORT_MAX_BYTES."""


class UnsupportedFile(Invalid):
    """415 `unsupported_file`: not CSV, XLSX or JSON lines."""


@dataclass(frozen=True)
class Uploaded:
    """intake's answer to an upload: the import (or, when only checked, the check's counts), and
    whether it is new (201) or the same file imported before (200)."""
    body: dict
    created: bool


def _code(code: str) -> str:
    return quote(code, safe="")


class IntakeClient(ApiClient):
    service = "intake"

    def dossiers(self, **filters) -> dict:
        """A page of dossiers: filters as intake names them (status, procedure, channel, unit,
        received_from, received_to, q, postal_issue, acceptance_overdue, page, page_size)."""
        return self.get("/api/v1/dossiers", **filters)

    def dossier(self, code: str) -> dict:
        return self.get(f"/api/v1/dossiers/{_code(code)}")

    def submit(self, body: dict, idempotency_key: str) -> dict:
        return self.post("/api/v1/dossiers", body, headers={"Idempotency-Key": idempotency_key})

    def act(self, code: str, action: str, body: dict | None = None) -> dict:
        """One of the desk's actions: acceptance, supplement-request, refusal, redirection, supplement,
        return, withdrawal-request, withdrawal."""
        return self.post(f"/api/v1/dossiers/{_code(code)}/{action}", body or {})

    def form(self, code: str, form: str) -> Raw:
        """A printable form as intake renders it: receipt, supplement-request, refusal, apology, control-log."""
        return self.raw(f"/api/v1/dossiers/{_code(code)}/{form}")

    def logbook(self, *, unit: str | None = None, date_from: str | None = None, date_to: str | None = None,
                html: bool = False):
        params = {"unit": unit, "from": date_from, "to": date_to}
        if html:
            return self.raw("/api/v1/logbook", format="html", **params)
        # intake answers HTML unless asked for JSON by name
        return self.get("/api/v1/logbook", format="json", **params)

    def procedures(self, **filters) -> dict:
        return self.get("/api/v1/procedures", **filters)

    # The reference set intake computes with (motcua_console.reference): never retried at once, because the
    # check runs inside an officer's page and a missed one is simply made again at the next interval.
    def reference(self) -> dict:
        """Version, label, sequence and origin: a few bytes, asked at most every MOTCUA_REFERENCE_REFRESH_SECONDS."""
        return self._send("GET", "/api/v1/reference").json()

    def reference_files(self) -> dict:
        """The same with every file of the set (about 145 KB of JSON), asked only when the version changed."""
        return self._send("GET", "/api/v1/reference/files").json()

    def overrides(self, year: int | None = None) -> dict:
        return self.get("/api/v1/calendar/overrides", year=year)

    def set_override(self, day: str, kind: str, note: str) -> dict:
        return self.put(f"/api/v1/calendar/overrides/{day}", {"kind": kind, "note": note})

    def remove_override(self, day: str) -> None:
        self.delete(f"/api/v1/calendar/overrides/{day}")

    # -- the import of past dossiers (administrators only; intake refuses anyone else) ---------------------
    def upload_import(self, content: bytes, filename: str, *, check: bool = False,
                      timeout: float | None = None) -> Uploaded:
        """Send a file for intake to validate whole and, unless `check`, stage for the worker to apply.
        Raises ImportRejected (with the report), FileTooLarge or UnsupportedFile, or the usual errors."""
        kind = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
        files = {"file": (filename, content, IMPORT_CONTENT_TYPES.get(kind, "application/octet-stream"))}
        try:
            response = self.upload("/api/v1/imports", files, params={"check": "true" if check else None},
                                   timeout=timeout)
        except Invalid as exc:
            raise _typed_refusal(exc) from None
        return Uploaded(body=response.json() if response.content else {}, created=response.status_code == 201)

    def imports(self) -> list[dict]:
        """The imports, newest first."""
        answer = self.get("/api/v1/imports")
        return answer.get("items", []) if isinstance(answer, dict) else list(answer)

    def import_template(self, name: str) -> Raw:
        return self.raw(f"/api/v1/imports/templates/{name}", accept="*/*")

    def import_status(self, import_id: str) -> dict:
        """One import and how far it is applied (status, total, applied, already, finished_at)."""
        return self.get(f"/api/v1/imports/{_code(import_id)}")


def _typed_refusal(exc: Invalid) -> Invalid:
    problem = exc.problem
    code = problem.code if problem else ""
    status = problem.status if problem else 0
    if code == "file_too_large" or status == 413:
        return FileTooLarge(exc.service, problem)
    if code == "unsupported_file" or status == 415:
        return UnsupportedFile(exc.service, problem)
    if code == "import_invalid" or status == 422:
        return ImportRejected(exc.service, problem)
    return exc
