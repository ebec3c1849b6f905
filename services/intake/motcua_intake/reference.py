"""The reference data this process works with: the reference set in use (motcua_shared.reference).

The procedure catalogue is served read-only from the reference set rather than copied into a table an
administrator could edit row by row: routing and reporting compute with the same set, so a procedure's
route, level and time limit mean the same thing in every service. A province changes its catalogue by
importing a new set (`python -m motcua_intake reference import DIR`, checked whole and announced to
every service, docs/reference-data.md); publication per procedure is the national database's business.
"""
from motcua_shared.reference import load_agencies, load_catalogue, load_units

# The shared loaders return the set in use; call them for each piece of work. These names are intake's view.
units = load_units
catalogue = load_catalogue
agencies = load_agencies
