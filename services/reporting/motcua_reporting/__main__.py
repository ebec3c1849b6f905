import sys

from motcua_shared.cli import main as run_cli

from .app import create_app
from .service import SPEC


def main() -> None:
    # Reporting's own command beside the shared ones (api, worker, migrate, seed, ...).
    if sys.argv[1:2] == ["rebuild"]:
        from .rebuild import main as rebuild

        rebuild(sys.argv[2:])
        return
    run_cli(SPEC, create_app)


if __name__ == "__main__":
    main()
