"""Settings of the intake service beyond the common ones."""
from motcua_shared.settings import Setting

SETTINGS = (
    Setting("INTAKE_AGENCY_PREFIX", "H52",
            "Leading part of the agency electronic identifier in dossier codes ({prefix}.{unit}-{yymmdd}-{nnnn}). "
            "H52 for Sơn La is inferred, not confirmed (domain.md §3.3): set the province's real one."),
)
