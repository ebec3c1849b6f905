"""The shipped reference data this process works with, loaded once per process (they are immutable).

The procedure catalogue is served read-only from the shipped files rather than copied into a table an
administrator could edit: routing and reporting read the same files, so a procedure's route, level and
time limit mean the same thing in every service. A province changes its catalogue by changing
`procedures.csv` (reviewed, versioned) and redeploying; publication per procedure is the national
database's business, not the desk's.
"""
from motcua_shared.reference import load_agencies, load_catalogue, load_units

# The shared loaders read and validate each file once per process; these names are intake's view.
units = load_units
catalogue = load_catalogue
agencies = load_agencies
