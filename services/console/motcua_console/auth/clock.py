"""Now, as the console's session and lockout rules see it (one place, so tests can reason about it)."""
from datetime import UTC, datetime

from motcua_shared.db import aware  # noqa: F401  (re-exported: SQLite's naive datetimes made aware)


def now() -> datetime:
    return datetime.now(UTC)
