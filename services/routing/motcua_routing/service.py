from pathlib import Path

from motcua_shared.service import Runtime, ServiceSpec

from . import config
from .locality import ANSWERS_QUEUE, local_topology
from .models import metadata


def _blueprints():
    from .api import blueprints

    return blueprints()


def _handlers():
    from .handlers import handlers

    # The handlers publish through the outbox and read the settings; the worker builds its own
    # Runtime, and handlers() is not given it, so they get one of their own (settings only: no
    # engine is opened by it).
    return handlers(Runtime(SPEC))


def _periodic(runtime):
    from . import bindings, deadlines

    return [bindings.job(runtime), deadlines.job(runtime)]


SPEC = ServiceSpec(
    name="routing",
    title="motcua — Luân chuyển hồ sơ (routing)",
    description="Luân chuyển hồ sơ giữa các cấp xã, huyện, tỉnh và cơ quan chuyên môn; thời hạn từng bước, "
                "cảnh báo, xin lỗi và hẹn lại, hộp công việc của cán bộ.",
    metadata=metadata,
    migrations=Path(__file__).parent / "migrations",
    blueprints=_blueprints,
    handlers=_handlers,
    periodic=_periodic,
    settings=config.SETTINGS,
    extra_topology=local_topology,
    # A province writes to routing.step-results: its answers queue must carry step answers only.
    queue_accepts={ANSWERS_QUEUE: frozenset({"vn.motcua.routing.step.completed"})},
)
