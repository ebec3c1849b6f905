"""/bao-cao: the official reporting periods and "by the resolving agency" on the Biểu 06 page, carried
into every link and download, and the Decision 766 indicators with the ones the data cannot give."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from console.support import page


def _feed_history(console):
    """Reporting's known-answer history (Sông Mã district, March 2019), fed as its worker would."""
    from motcua_reporting.handlers import store_and_project

    from reporting import history

    rt = console.services["reporting"].extensions["motcua"]
    for event in history.events():
        with rt.sessions.begin() as session:
            store_and_project(session, event)
    return history


def _query(link) -> dict:
    return {key: value[0] for key, value in parse_qs(urlsplit(link["href"]).query).items()}


def test_the_page_offers_the_official_periods_and_both_attributions(console):
    client = console.signed_in("leader", unit="126", username="lanh-dao-song-ma")
    soup = page(client.get("/bao-cao", query_string={"from": "2019-03-01", "to": "2019-03-31", "unit": "126"}))
    periods = {option["value"]: option.get_text() for option in soup.find("select", attrs={"name": "period"})("option")}
    assert periods["2019-Q1"] == "Quý I năm 2019 (15/12/2018 – 14/03/2019)"
    assert periods["2019-M03"] == "Tháng 3 năm 2019 (15/02/2019 – 14/03/2019)"
    assert "2018-N" in periods and periods[""] == "— Theo từ ngày, đến ngày —"
    attribution = soup.find("select", attrs={"name": "attribution"})
    assert [(option["value"], option.get_text()) for option in attribution("option")] == [
        ("receiving", "Theo đơn vị tiếp nhận"), ("competent", "Theo cơ quan giải quyết")]
    assert attribution.find("option", selected=True)["value"] == "receiving"


def test_a_preset_period_is_what_reporting_counts_and_every_link_carries_it(console):
    _feed_history(console)
    client = console.signed_in("leader", unit="126", username="lanh-dao-song-ma")
    soup = page(client.get("/bao-cao", query_string={"period": "2019-M03", "unit": "126"}))
    assert "Tháng 3 năm 2019 (15/02/2019 – 14/03/2019)" in soup.find(id="bieu-06").get_text()
    total = soup.find("tr", attrs={"data-figure": "received.total"}).find("a", attrs={"data-mechanism": ""})
    assert total.get_text(strip=True) == "12"  # 15/02–14/03/2019 worked out in tests/reporting/test_periods.py
    assert _query(total) == {"figure": "received.total", "period": "2019-M03", "unit": "126"}
    listing = page(client.get(total["href"]))
    assert listing.find(attrs={"data-total": True}).get_text(strip=True) == "12"
    downloads = [_query(a) for a in soup.select(".report-downloads a")]
    assert all(query["period"] == "2019-M03" and "from" not in query for query in downloads)
    answer = client.get("/bao-cao/tai-ve", query_string={"period": "2019-M03", "unit": "126", "bao-cao": "summary",
                                                         "dinh-dang": "csv"})
    assert answer.headers["Content-Disposition"] == 'attachment; filename="bieu-06_126_2019-02-15_2019-03-14.csv"'


def test_by_the_resolving_agency_the_figures_and_links_follow(console):
    _feed_history(console)
    client = console.signed_in("leader", unit="126", username="lanh-dao-song-ma")
    march = {"from": "2019-03-01", "to": "2019-03-31", "unit": "126"}
    soup = page(client.get("/bao-cao", query_string={**march, "attribution": "competent"}))
    assert soup.find("select", attrs={"name": "attribution"}).find("option", selected=True)["value"] == "competent"
    assert soup.find(attrs={"data-attribution": "competent"}).get_text().startswith("Theo cơ quan giải quyết")
    # The history's dossiers have no route and name their own desk as competent: the same 15 dossiers.
    late = soup.find("tr", attrs={"data-figure": "resolved.late"}).find("a", attrs={"data-mechanism": ""})
    assert late.get_text(strip=True) == "2"
    assert _query(late) == {"figure": "resolved.late", **march, "attribution": "competent"}
    listing = page(client.get(late["href"]))
    assert "theo cơ quan giải quyết" in listing.get_text()
    assert listing.find(attrs={"data-total": True}).get_text(strip=True) == "2"
    file = client.get("/bao-cao/tai-ve", query_string={**march, "attribution": "competent", "bao-cao": "summary",
                                                       "dinh-dang": "xlsx"})
    assert file.headers["Content-Disposition"] == \
        'attachment; filename="bieu-06_co-quan-giai-quyet_126_2019-03-01_2019-03-31.xlsx"'


def test_a_bad_period_or_attribution_is_refused_beside_its_field(console):
    client = console.signed_in("leader", unit="126", username="lanh-dao-song-ma")
    soup = page(client.get("/bao-cao", query_string={"period": "2019-Q9", "unit": "126"}), 400)
    assert soup.find("select", attrs={"name": "period"}).find_parent(class_="field--error")
    soup = page(client.get("/bao-cao", query_string={"from": "2019-03-01", "to": "2019-03-31", "unit": "126",
                                                     "attribution": "ca-hai"}), 400)
    assert soup.find("select", attrs={"name": "attribution"}).find_parent(class_="field--error")


def test_the_indicators_section_lists_the_computed_and_the_missing(console):
    _feed_history(console)
    client = console.signed_in("leader", unit="126", username="lanh-dao-song-ma")
    soup = page(client.get("/bao-cao", query_string={"from": "2019-03-01", "to": "2019-03-31", "unit": "126"}))
    table = soup.find(id="bang-chi-so")
    assert {row["data-indicator"] for row in table.select("tr[data-indicator]")} == {"3.1", "3.2", "3.6"}
    paid = table.find("tr", attrs={"data-indicator": "3.6"}).find("a")
    assert _query(paid)["figure"] == "indicator.3_6"
    missing = soup.find(id="bang-chi-so-chua-tinh")
    assert {row["data-indicator"] for row in missing.select("tr[data-indicator]")} >= {"1.4", "4.2", "5.4"}
