import logging
from datetime import datetime
from pathlib import Path

from motcua_shared.service import Runtime, ServiceSpec
from motcua_shared.workcal import VIETNAM_TZ

from . import config
from .models import metadata

log = logging.getLogger("motcua.intake")
SEEDED_YEARS_AROUND_NOW = 1  # last year, this year and next year


def _blueprints():
    from .api import blueprints

    return blueprints()


def _handlers():
    from . import handlers
    from .desk import Desk

    return handlers.build(Desk.from_environment())


def _periodic(runtime: Runtime):
    """The worker applies staged imports (an upload, or a command that was interrupted) in the background,
    runs the queued jobs (rehash.py), and flags online and postal submissions the desk has left past its time limit (acceptance.py)."""
    from . import acceptance, rehash
    from .imports.worker_job import job

    return [job(runtime), acceptance.job(runtime), *rehash.periodic(runtime)]


def _seed(runtime: Runtime) -> None:
    """The day-off override table, from the yearly official schedule (calendar files, else the `holidays`
    package), for the years around now (idempotent)."""
    from .calendar_store import seed_years

    year = datetime.now(VIETNAM_TZ).year
    years = range(year - SEEDED_YEARS_AROUND_NOW, year + SEEDED_YEARS_AROUND_NOW + 1)
    with runtime.sessions.begin() as session:
        added = seed_years(session, years)
    log.info("calendar_seeded", extra={"years": [years.start, years.stop - 1], "rows_added": added})


SPEC = ServiceSpec(
    name="intake",
    title="motcua — Tiếp nhận hồ sơ (intake)",
    description="Bộ phận tiếp nhận và trả kết quả: tiếp nhận hồ sơ tại quầy, trực tuyến, qua bưu chính; mã hồ sơ, "
                "giấy tiếp nhận và hẹn trả kết quả; bổ sung, từ chối, rút hồ sơ, trả kết quả; tra cứu công khai.",
    metadata=metadata,
    migrations=Path(__file__).parent / "migrations",
    blueprints=_blueprints,
    handlers=_handlers,
    periodic=_periodic,
    seed=_seed,
    settings=config.SETTINGS,
)
