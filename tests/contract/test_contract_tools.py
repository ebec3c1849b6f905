"""The published AsyncAPI documents as a partner's own tools read them: the official parser (@asyncapi/parser,
behind the AsyncAPI CLI, generator and Studio) and Spectral's AsyncAPI ruleset, installed from npm as
pinned by tools/contract-check/package-lock.json (scripts/install-contract-tools.sh, which .ci/run calls).

Each tool is also shown a broken copy of the documents, so a tool that stopped reporting would fail here."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "events"
TOOLS = ROOT / "tools" / "contract-check"
CHECK = TOOLS / "check-asyncapi.js"
SPECTRAL = TOOLS / "node_modules" / "@stoplight" / "spectral-cli" / "dist" / "index.js"
PARSER = TOOLS / "node_modules" / "@asyncapi" / "parser" / "package.json"
# What Spectral's ruleset may still say: the project publishes no contact address or licence for the
# event contract, and inventing one would be worse than the warning.
ACCEPTED_SPECTRAL_WARNINGS = {"asyncapi-info-contact", "asyncapi-info-license"}
# motcua's document and each partner's side of it.
DOCUMENTS = sorted(DOCS.glob("*asyncapi.json"))


@pytest.fixture(scope="module")
def node() -> str:
    """Node.js with the pinned tools; installed on first use, as CI does before the suite."""
    if not (PARSER.exists() and SPECTRAL.exists()):
        if shutil.which("npm") is None:
            reason = "Node.js/npm missing: run scripts/install-contract-tools.sh"
            if os.environ.get("CI", "").lower() == "true":
                pytest.fail(reason)
            pytest.skip(reason)
        subprocess.run(["bash", str(ROOT / "scripts" / "install-contract-tools.sh")], check=True, timeout=600)
    return shutil.which("node") or pytest.fail("node not on PATH")


def asyncapi_check(node: str, *documents: Path) -> dict[str, dict]:
    """Document → its report (summary, diagnostics, operations), all from one run of the script."""
    done = subprocess.run([node, str(CHECK), *map(str, documents), "--json"], capture_output=True, text=True,
                          timeout=180)
    assert done.returncode in (0, 1), done.stderr
    reports = {Path(name).name: report for name, report in json.loads(done.stdout).items()}
    assert done.returncode == (1 if any(r["summary"]["errors"] for r in reports.values()) else 0)
    return reports


@pytest.fixture(scope="module")
def published(node) -> dict[str, dict]:
    return asyncapi_check(node, *DOCUMENTS)


def spectral(node: str, *documents: Path) -> list[dict]:
    done = subprocess.run([node, str(SPECTRAL), "lint", "--ruleset", str(ROOT / ".spectral.yaml"), "--format", "json",
                           "--quiet", *map(str, documents)], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode in (0, 1), done.stderr or done.stdout
    return json.loads(done.stdout or "[]")


def shown(diagnostics: list[dict]) -> str:
    return "\n".join(f"{d.get('source', '')} {d.get('code')} {d.get('path')}: {d.get('message')}" for d in diagnostics)


def test_motcua_and_each_partner_side_are_published():
    assert [p.name for p in DOCUMENTS] == ["asyncapi.json", "postal-partner.asyncapi.json",
                                           "province-routing.asyncapi.json"]


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.name)
def test_the_official_parser_reports_no_error_and_no_warning(published, document):
    report = published[document.name]
    worse_than_info = [d for d in report["diagnostics"] if d["severity"] in ("error", "warning")]
    assert worse_than_info == [], shown(worse_than_info)
    # Both halves ran: the parser, and ajv on every payload schema and every message's example.
    assert report["summary"]["errors"] == report["summary"]["warnings"] == 0
    messages = json.loads(document.read_text(encoding="utf-8"))["components"]["messages"]
    assert report["summary"]["schemasCompiled"] == report["summary"]["examplesChecked"] == len(messages) > 0


# What each application does, as the official parser's model hands it to a code generator.
SIDES = {
    "asyncapi.json": {"vn.motcua.routing.step.assigned": ("send", "step.{unitPath}"),
                      "vn.motcua.routing.step.completed": ("receive", "{replyTo}"),
                      "vn.motcua.postal.pickup.requested": ("send", "pickup"),
                      "vn.motcua.postal.status.reported": ("receive", "status"),
                      "vn.motcua.dossier.received": ("send", "{eventType}")},
    "province-routing.asyncapi.json": {"vn.motcua.routing.step.assigned": ("receive", "step.{unitPath}"),
                                       "vn.motcua.routing.step.cancelled": ("receive", "step.{unitPath}"),
                                       "vn.motcua.routing.step.completed": ("send", "{replyTo}")},
    "postal-partner.asyncapi.json": {"vn.motcua.postal.pickup.requested": ("receive", "postal.pickups"),
                                     "vn.motcua.postal.pickup.cancelled": ("receive", "postal.pickups"),
                                     "vn.motcua.postal.status.reported": ("send", "status")},
}


@pytest.mark.parametrize("name", sorted(SIDES))
def test_the_parser_reads_who_sends_and_who_receives(published, name):
    operations = published[name]["operations"]
    seen = {}
    for op in operations:
        assert len(op["messages"]) == len(op["channels"]) == 1, op
        seen[op["messages"][0]] = (op["action"], op["channels"][0])
    assert len(seen) == len(operations), "one operation per event type"
    assert {t: seen[t] for t in SIDES[name]} == SIDES[name]
    if name != "asyncapi.json":
        assert seen.keys() == SIDES[name].keys(), "a partner's document holds only its own channels"

def test_spectral_asyncapi_ruleset_reports_no_error(node):
    results = spectral(node, *DOCUMENTS)
    errors = [r for r in results if r["severity"] == 0]
    assert errors == [], shown(errors)
    warnings = {r["code"] for r in results if r["severity"] == 1}
    assert warnings <= ACCEPTED_SPECTRAL_WARNINGS, shown([r for r in results if r["severity"] == 1])


@pytest.fixture
def broken_documents(tmp_path) -> Path:
    """A copy of docs/events with the faults issue 21 found: a null listed twice in an enum, an example
    that no longer carries a required envelope field, and one whose data has a field the schema refuses."""
    copy = tmp_path / "events"
    shutil.copytree(DOCS, copy)
    schema_path = copy / "schemas" / "vn.motcua.calendar.changed.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    kind = schema["properties"]["data"]["properties"]["kind"]
    kind["enum"] = [*kind["enum"], None] if None in kind["enum"] else [*kind["enum"], None, None]
    schema_path.write_text(json.dumps(schema), encoding="utf-8")
    document = json.loads((copy / "asyncapi.json").read_text(encoding="utf-8"))
    messages = document["components"]["messages"]
    del messages["dossier.received"]["examples"][0]["payload"]["id"]
    messages["postal.status.reported"]["examples"][0]["payload"]["data"]["unexpected_field"] = 1
    (copy / "asyncapi.json").write_text(json.dumps(document), encoding="utf-8")
    return copy / "asyncapi.json"


def test_the_checks_fail_on_a_broken_document(node, broken_documents):
    report = asyncapi_check(node, broken_documents)["asyncapi.json"]
    errors = [d for d in report["diagnostics"] if d["severity"] == "error"]
    # The parser itself refuses the duplicated enum value, ajv each stale example.
    assert any(d["tool"] == "parser" and "duplicate" in d["message"] for d in errors), shown(errors)
    stale = {d["path"].split(".examples")[0] for d in errors if d["code"] == "example-invalid"}
    assert stale == {"components.messages.dossier.received", "components.messages.postal.status.reported"}, \
        shown(errors)
    assert any(r["severity"] == 0 and "duplicate" in r["message"] for r in spectral(node, broken_documents))
