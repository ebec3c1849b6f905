"""The console's spec: a database and migrations of its own, no events (it acts through the APIs)."""
from pathlib import Path

from motcua_shared.service import ServiceSpec

from . import config
from .models import metadata


def _seed(runtime) -> None:
    from .auth.accounts import ensure_first_admin

    ensure_first_admin(runtime)


SPEC = ServiceSpec(
    name="console",
    title="motcua — Phần mềm một cửa cho cán bộ (console)",
    description="Ứng dụng web của cán bộ bộ phận một cửa: tiếp nhận, xử lý, tra cứu, báo cáo, quản trị.",
    metadata=metadata,
    migrations=Path(__file__).parent / "migrations",
    seed=_seed,
    settings=config.SETTINGS,
)
