"""The console follows the reference set intake computes with, without a restart (docs/reference-data.md).

Intake runs as a real process (`python -m motcua_intake api`, gunicorn) on its own database, so the only way
a set imported there reaches the console in this process is the console's own check of intake's version and
fetch of its files (motcua_console.reference); the console reaches it over HTTP, as in production. A
province administrator imports a set at intake that changes a procedure's time limit and adds a procedure
and a commune: the receptionist's next page shows the new limit and checklist. Intake stopped: the console
keeps the set, says so once, and follows again once intake is back.
"""
from __future__ import annotations

import logging

import httpx
import pytest

from motcua_shared.reference.current import current, install
from motcua_shared.reference.sets import InvalidReferenceSet, digest, from_directory, shipped_files
from motcua_shared.web.auth import issue_token

from motcua_console.reference import checked
from motcua_console.units import unit_name

from console.support import Console, page
from motcua_testing.ports import free_port
from motcua_testing.reference_data import CHANGED_PROCEDURE, NEW_COMMUNE, NEW_PROCEDURE, district_set
from motcua_testing.system import TEST_SECRET, System, spec_of
from motcua_testing.waiting import wait_for

TABLES = ("units.csv", "agencies.csv", "procedures.csv", "procedure_documents.csv")


@pytest.fixture
def set_in_use_kept():
    """The console in this process installs intake's set: compute with the one it had again after."""
    before = current()
    yield
    install(before, force=True)


@pytest.fixture
def intake_process(database_factory, tmp_path):
    """intake's API alone, on its own database, in its own process; no broker (the import's announcement
    stays in the outbox: no other service is here to consume it)."""
    names = {service: database_factory.create(spec_of(service)) for service in ("intake", "console")}
    urls = {service: database_factory.url(name) for service, name in names.items()}
    system = System(amqp_url="amqp://guest:guest@127.0.0.1:1/%2F", vhost="", database_urls={"intake": urls["intake"]},
                    var_dir=tmp_path)
    port = free_port()
    system.processes.start("intake-api", "intake", "api", {
        "INTAKE_PORT": str(port), "INTAKE_WEB_WORKERS": "1"})
    system.url = f"http://127.0.0.1:{port}"
    system.console_database = urls["console"]
    wait_until_answering(system)
    yield system
    # Nothing is in flight by now: not the graceful stop, which waits out the console's kept-alive connection.
    system.processes.kill("intake-api")
    system.close()
    for name in names.values():
        database_factory.drop(name)


def wait_until_answering(system) -> None:
    def answers():
        proc = system.processes.procs["intake-api"]
        assert proc.popen.poll() is None, system.processes.log("intake-api")[-2000:]
        try:
            return httpx.get(f"{system.url}/healthz", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    wait_for(answers, timeout=60, interval=0.2, what="intake's API to answer")


def import_at_intake(system, directory) -> dict:
    """A province administrator's import through intake's API (the same checks and store as the command)."""
    files = {name: (directory / name).read_text(encoding="utf-8") for name in TABLES}
    label = (directory / "version.txt").read_text(encoding="utf-8").strip()
    token = issue_token(secret=TEST_SECRET, roles=("admin",), unit="14", sub="province-admin")
    answer = httpx.post(f"{system.url}/api/v1/reference/sets", json={"files": files, "label": label}, timeout=60,
                        headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 201, answer.text
    return answer.json()


def time_limit_shown(client, procedure: str) -> tuple[str, list[str]]:
    """The reception page for `procedure`: its time limit and the papers of its checklist."""
    soup = page(client.get(f"/tiep-nhan?procedure={procedure}"))
    papers = [field["value"] for field in soup.select("input[name^=doc][name$='.name']")]
    return " ".join(soup.select_one("#thoi-han-giai-quyet").get_text().split()), papers


def test_the_console_follows_a_set_imported_at_intake_without_a_restart(set_in_use_kept, intake_process, tmp_path,
                                                                        caplog):
    intake = intake_process
    console = Console.build(intake.console_database, {}, CONSOLE_INTAKE_URL=intake.url,
                            MOTCUA_REFERENCE_REFRESH_SECONDS="0")
    desk = console.signed_in("receptionist", unit="04222")
    shipped = current().version
    assert time_limit_shown(desk, CHANGED_PROCEDURE)[0] == "Thời hạn giải quyết: 3 ngày làm việc"

    imported = import_at_intake(intake, district_set(tmp_path / "set-5", days=5))
    # The next page: the new limit, the new procedure listed by intake with its checklist and limit from the
    # console's own copy of the set, the new commune's name.
    assert time_limit_shown(desk, CHANGED_PROCEDURE)[0] == "Thời hạn giải quyết: 5 ngày làm việc"
    limit, papers = time_limit_shown(desk, NEW_PROCEDURE)
    assert (limit, papers) == ("Thời hạn giải quyết: 2 ngày làm việc", ["Tờ khai (theo mẫu)"])
    assert unit_name(NEW_COMMUNE) == "Xã Thử Nghiệm"
    described = {"version": imported["version"], "label": "Sơn La thử nghiệm", "sequence": 1, "origin": "import"}
    assert imported["version"] != shipped
    assert console.client().get("/readyz").get_json()["reference"] == described
    metrics = console.client().get("/metrics").get_data(as_text=True)
    assert (f'motcua_reference_version_info{{label="Sơn La thử nghiệm",sequence="1",service="console",'
            f'version="{imported["version"]}"}} 1.0') in metrics
    assert httpx.get(f"{intake.url}/readyz", timeout=10).json()["reference"] == described

    # Intake stopped: the pages that need no intake still answer, the set stays, and it is said once.
    intake.processes.kill("intake-api")
    caplog.set_level(logging.INFO, logger="motcua.reference")
    for _ in range(3):
        assert desk.get("/tai-khoan").status_code == 200
    failed = [r for r in caplog.records if r.getMessage() == "reference_follow_failed"]
    assert len(failed) == 1 and failed[0].error == "Unavailable", caplog.records
    assert current().version == imported["version"]

    # Intake back (its database holds the import), then a newer set: followed again.
    intake.processes.restart("intake-api")
    wait_until_answering(intake)
    assert time_limit_shown(desk, CHANGED_PROCEDURE)[0] == "Thời hạn giải quyết: 5 ngày làm việc"
    assert [r.getMessage() for r in caplog.records].count("reference_follow_resumed") == 1
    newer = import_at_intake(intake, district_set(tmp_path / "set-7", days=7, label="Sơn La thử nghiệm 2"))
    assert newer["sequence"] == 2
    assert time_limit_shown(desk, CHANGED_PROCEDURE)[0] == "Thời hạn giải quyết: 7 ngày làm việc"
    assert console.client().get("/readyz").get_json()["reference"]["sequence"] == 2


def test_a_set_whose_files_are_not_its_version_or_break_a_rule_is_refused():
    """What the console fetched is checked as a consumer checks an announcement: content against the version,
    then every rule; the set in use is never replaced by half a set."""
    files = dict(shipped_files())
    good = from_directory(None)
    answer = {"version": good.version, "label": None, "sequence": 4, "origin": "import", "files": dict(good.files)}
    assert checked(answer).version == good.version and checked(answer).sequence == 4

    tampered = {**answer, "files": {**answer["files"], "procedures.csv": answer["files"]["procedures.csv"]
                                    .replace(f"{CHANGED_PROCEDURE},", f"{CHANGED_PROCEDURE}X,", 1)}}
    with pytest.raises(InvalidReferenceSet, match=f"content does not match version {good.version}"):
        checked(tampered)

    broken_files = {**files, "units.csv": files["units.csv"].replace(",province,", ",hamlet,", 1)}
    broken = {**answer, "files": broken_files, "version": digest(broken_files)}
    with pytest.raises(InvalidReferenceSet, match="unknown level 'hamlet'"):
        checked(broken)
