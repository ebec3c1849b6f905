"""Bringing a district's past dossiers in (issue 17): a file of dossiers handled before motcua, read
(reading.py, columns.py), checked whole (validation.py) into Records (records.py), then staged and
applied in parts that intake, routing and reporting take in as history."""
