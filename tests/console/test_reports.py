"""/bao-cao: Biểu 06 as reporting answers it, the drill-down links, CSV and XLSX downloads, access."""
from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlsplit

from motcua_testing.system import System

from console.support import page

FIGURES = ("received.total", "received.online", "received.counter_postal", "received.carried_over",
           "resolved.total", "resolved.early", "resolved.on_time", "resolved.late",
           "in_progress.total", "in_progress.within_deadline", "in_progress.overdue")
PERIOD = {"from": "2026-01-01", "to": "2026-03-31", "unit": "14"}


def _reporting(console, path: str, **params):
    """What reporting itself answers an auditor of the province for the same query."""
    client = console.services["reporting"].test_client()
    answer = client.get(path, query_string=params,
                        headers={"Authorization": f"Bearer {System.token('auditor', unit='14')}"})
    assert answer.status_code == 200, answer.text
    return answer.get_json()


def _figure(summary, figure, mechanism=None):
    group, column = figure.split(".")
    return (summary[mechanism] if mechanism else summary)[group][column]


def test_bieu_06_shows_reportings_figures_each_linking_to_its_dossiers(console):
    client = console.signed_in("auditor", unit="14")
    soup = page(client.get("/bao-cao", query_string=PERIOD))
    expected = _reporting(console, "/api/v1/reports/summary", **PERIOD)
    for figure in FIGURES:
        row = soup.find("tr", attrs={"data-figure": figure})
        assert row is not None, figure
        assert row.th.get_text(strip=True)  # a Vietnamese label
        for mechanism in ("", "one_stop", "inter_agency"):
            link = row.find("a", attrs={"data-mechanism": mechanism})
            assert link.get_text(strip=True) == str(_figure(expected, figure, mechanism or None))
            target = urlsplit(link["href"])
            assert target.path == "/bao-cao/ho-so"
            query = {k: v[0] for k, v in parse_qs(target.query).items()}
            assert query == {"figure": figure, **PERIOD, **({"mechanism": mechanism} if mechanism else {})}
    assert soup.find(id="bang-chi-so")  # the Decision 766 indicators


def test_the_form_defaults_to_this_month_and_the_officers_unit(console):
    client = console.signed_in("leader", unit="04222")
    soup = page(client.get("/bao-cao"))
    today = date.today()
    assert soup.find("input", attrs={"name": "from"})["value"] == today.replace(day=1).isoformat()
    assert soup.find("input", attrs={"name": "to"})["value"] == today.isoformat()
    assert soup.find("select", attrs={"name": "unit"}).find("option", selected=True)["value"] == "04222"
    assert soup.find("tr", attrs={"data-figure": "received.total"})


def test_a_unit_outside_the_leaders_own_is_refused_beside_the_field(console):
    client = console.signed_in("leader", unit="04222")
    soup = page(client.get("/bao-cao", query_string={**PERIOD, "unit": "04168"}), 403)
    assert soup.select_one(".error-summary")
    assert soup.find("tr", attrs={"data-figure": "received.total"}) is None
    assert soup.find("select", attrs={"name": "unit"}).find("option", selected=True)["value"] == "04168"


def test_a_period_ending_before_it_starts_is_refused_beside_the_field(console):
    client = console.signed_in("auditor", unit="14")
    soup = page(client.get("/bao-cao", query_string={**PERIOD, "from": "2026-04-01"}), 400)
    assert soup.select_one(".field--error")
    assert soup.find("input", attrs={"name": "from"})["value"] == "2026-04-01"


def test_the_drill_down_lists_reportings_dossiers_for_the_figure(console):
    client = console.signed_in("auditor", unit="14")
    query = {**PERIOD, "figure": "resolved.late", "mechanism": "one_stop"}
    soup = page(client.get("/bao-cao/ho-so", query_string=query))
    expected = _reporting(console, "/api/v1/reports/dossiers", **query)
    assert soup.find(attrs={"data-total": True}).get_text(strip=True) == str(expected["total"])
    assert "quá hạn" in soup.h1.get_text()
    codes = [a.get_text() for a in soup.select("table a[href^='/ho-so/']")]
    assert codes == [item["code"] for item in expected["items"]]
    assert page(client.get("/bao-cao/ho-so", query_string={**PERIOD, "figure": "khong-co"}), 404)


def test_downloads_pass_reportings_files_through_with_their_names(console):
    client = console.signed_in("auditor", unit="14")
    soup = page(client.get("/bao-cao", query_string=PERIOD))
    links = [a["href"] for a in soup.select(".report-downloads a")]
    assert any("bao-cao=summary" in link and "dinh-dang=xlsx" in link for link in links)
    for fmt, media in (("csv", "text/csv"), ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")):
        answer = client.get("/bao-cao/tai-ve", query_string={**PERIOD, "bao-cao": "summary", "dinh-dang": fmt})
        assert answer.status_code == 200
        assert answer.headers["Content-Type"].startswith(media)
        assert answer.headers["Content-Disposition"] == f'attachment; filename="bieu-06_14_2026-01-01_2026-03-31.{fmt}"'
        assert answer.data
    xlsx = client.get("/bao-cao/tai-ve", query_string={**PERIOD, "bao-cao": "summary", "dinh-dang": "xlsx"}).data
    assert xlsx[:2] == b"PK"  # a zip, as every XLSX is
    listing = client.get("/bao-cao/tai-ve", query_string={**PERIOD, "bao-cao": "dossiers", "dinh-dang": "csv",
                                                          "figure": "received.total"})
    assert listing.status_code == 200 and "ho-so_received.total_14" in listing.headers["Content-Disposition"]
    indicators = client.get("/bao-cao/tai-ve", query_string={**PERIOD, "bao-cao": "indicators", "dinh-dang": "csv"})
    assert indicators.status_code == 200 and "chi-so-766" in indicators.headers["Content-Disposition"]


def test_a_receptionist_may_not_open_reports(console):
    client = console.signed_in("receptionist", unit="04222")
    for url in ("/bao-cao", "/bao-cao/ho-so?figure=received.total", "/bao-cao/tai-ve?bao-cao=summary&dinh-dang=csv"):
        page(client.get(url), 403)


def _feed_history(console):
    """Reporting's own known-answer history (Sông Mã district, March 2019), fed as its worker would."""
    from motcua_reporting.handlers import store_and_project

    from reporting import history

    rt = console.services["reporting"].extensions["motcua"]
    for event in history.events():
        with rt.sessions.begin() as session:
            store_and_project(session, event)
    return history


def test_figures_from_real_events_are_shown_as_reporting_counts_them(console):
    history = _feed_history(console)
    period = {"from": "2019-03-01", "to": "2019-03-31", "unit": "126"}
    client = console.signed_in("leader", unit="126", username="lanh-dao-song-ma")
    soup = page(client.get("/bao-cao", query_string=period))
    for figure in FIGURES:
        link = soup.find("tr", attrs={"data-figure": figure}).find("a", attrs={"data-mechanism": ""})
        assert link.get_text(strip=True) == str(_figure(history.EXPECTED, figure)), figure
    assert soup.find("tr", attrs={"data-figure": "received.total"}).find(
        "a", attrs={"data-mechanism": ""}).get_text(strip=True) == "15"

    listing = page(client.get("/bao-cao/ho-so", query_string={**period, "figure": "resolved.late"}))
    codes = [a.get_text() for a in listing.select("table a[href^='/ho-so/']")]
    assert len(codes) == history.EXPECTED["resolved"]["late"] and all(c for c in codes)
    assert listing.find(attrs={"data-total": True}).get_text(strip=True) == str(len(codes))
    assert [a["href"] for a in listing.select("table a[href^='/ho-so/']")] == [f"/ho-so/{code}" for code in codes]
