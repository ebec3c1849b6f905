from pathlib import Path

from motcua_shared.service import ServiceSpec

from . import config
from .models import metadata


def _blueprints():
    from .api import blueprints

    return blueprints()


SPEC = ServiceSpec(
    name="intake",
    title="motcua — Tiếp nhận hồ sơ (intake)",
    description="Bộ phận tiếp nhận và trả kết quả: tiếp nhận hồ sơ tại quầy, trực tuyến, qua bưu chính; mã hồ sơ, "
                "giấy tiếp nhận và hẹn trả kết quả.",
    metadata=metadata,
    migrations=Path(__file__).parent / "migrations",
    blueprints=_blueprints,
    settings=config.SETTINGS,
)
