"""Alembic, driven programmatically so each service migrates its own database with its own scripts.

`python -m motcua_<service> migrate` upgrades to head; `revision -m "..."` autogenerates the next
script from the service's models. Each service's `migrations/env.py` is just `run_env()`.
"""
from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from .db import is_sqlite, make_engine


def alembic_config(spec, url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(spec.migrations))
    cfg.attributes["url"] = url  # passed as an attribute: '%' in a URL would upset configparser
    cfg.attributes["metadata"] = spec.metadata
    return cfg


def upgrade(spec, url: str) -> None:
    command.upgrade(alembic_config(spec, url), "head")


def revision(spec, url: str, message: str) -> None:
    """Autogenerate the next migration with a sequential, readable id (0001, 0002, ...)."""
    cfg = alembic_config(spec, url)
    existing = [r.revision for r in ScriptDirectory.from_config(cfg).walk_revisions()]
    next_id = f"{max((int(r) for r in existing if r.isdigit()), default=0) + 1:04d}"
    command.revision(cfg, message=message, autogenerate=True, rev_id=next_id)


def head(spec) -> str | None:
    return ScriptDirectory.from_config(alembic_config(spec, "")).get_current_head()


def current(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def run_env() -> None:
    """Body of every service's migrations/env.py (online mode only: we always have the database)."""
    from alembic import context

    cfg = context.config
    engine = make_engine(cfg.attributes["url"])
    try:
        with engine.connect() as connection:
            context.configure(connection=connection, target_metadata=cfg.attributes["metadata"],
                              render_as_batch=is_sqlite(engine), compare_type=True)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()
