"""Query-time statistics over the dossier projection: Biểu 06/VPCP/KSTT, breakdowns, Decision 766.

Every figure is computed from the same per-dossier placement (`placement.place`), so a summary,
a breakdown row, a month of the trend and the list behind a figure can never disagree.
"""
