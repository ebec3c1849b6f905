"""`python -m motcua_reporting.rebuild`: rebuild the projections from the event store (the same as
`POST /api/v1/admin/projections/rebuild`), e.g. after upgrading to a release that adds one."""
import json
import sys

from motcua_shared import logs
from motcua_shared.service import Runtime

from .projection.rebuild import rebuild
from .service import SPEC


def main() -> None:
    runtime = Runtime(SPEC)
    logs.configure(SPEC.name, "rebuild", runtime.settings.log_level)
    try:
        with runtime.sessions.begin() as session:
            result = rebuild(session)
    finally:
        runtime.close()
    json.dump(result.as_dict(), sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
