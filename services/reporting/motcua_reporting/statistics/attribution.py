"""Under which unit a dossier counts: the one that received it, or the one that resolves it.

Biểu 06/VPCP/KSTT is titled "at the agency that directly handles the procedures": it reports each
dossier at the agency that resolves it. Since 2025 a dossier may be received at any desk of the
province, so the desk and the agency part. `receiving` (the default) keeps each dossier under the
receiving unit; `competent` moves it under the unit of the agency that decides it
(projection.dossier._competent says how that unit is known; docs/reports.md explains the rule).
"""
from __future__ import annotations

RECEIVING, COMPETENT = "receiving", "competent"
ATTRIBUTIONS = (RECEIVING, COMPETENT)
TITLES = {RECEIVING: "Theo đơn vị tiếp nhận", COMPETENT: "Theo cơ quan giải quyết"}

# The columns that place a dossier in a unit's subtree, per attribution and level.
COLUMNS = {
    RECEIVING: {"province": "province_code", "district": "district_code", "commune": "commune_code"},
    COMPETENT: {"province": "competent_province_code", "district": "competent_district_code",
                "commune": "competent_commune_code"},
}
