"""PostgreSQL databases for tests: each service migrated once per session into a template, then
copied per test (CREATE DATABASE ... TEMPLATE is a file copy, far faster than migrating again)."""
from __future__ import annotations

import uuid

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from motcua_shared import migrations


class DatabaseFactory:
    def __init__(self, admin_url: str):
        self.admin_url = admin_url
        self.engine = create_engine(admin_url, isolation_level="AUTOCOMMIT", pool_size=1, pool_pre_ping=True)
        self.run_id = uuid.uuid4().hex[:8]
        self.templates: dict[str, str] = {}
        self.created_empty: list[str] = []

    def url(self, database: str) -> str:
        return make_url(self.admin_url).set(database=database).render_as_string(hide_password=False)

    def _execute(self, sql: str) -> None:
        with self.engine.connect() as conn:
            conn.execute(text(sql))

    def template(self, spec) -> str:
        if spec.name not in self.templates:
            name = f"motcua_tpl_{spec.name}_{self.run_id}"
            self._execute(f'CREATE DATABASE "{name}"')
            migrations.upgrade(spec, self.url(name))
            self.templates[spec.name] = name
        return self.templates[spec.name]

    def create(self, spec) -> str:
        name = f"t_{uuid.uuid4().hex[:10]}_{spec.name}"
        self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template(spec)}"')
        return name

    def create_empty(self) -> str:
        name = f"t_{uuid.uuid4().hex[:10]}_empty"
        self._execute(f'CREATE DATABASE "{name}"')
        self.created_empty.append(name)
        return name

    def drop(self, name: str) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        for name in [*self.templates.values(), *self.created_empty]:
            self.drop(name)
        self.engine.dispose()
