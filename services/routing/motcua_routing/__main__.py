import sys

from motcua_shared.cli import main as run_cli

from .app import create_app
from .service import SPEC


def main() -> None:
    # A command of routing's own beside the shared ones (api, worker, migrate, seed, ...).
    if sys.argv[1:2] == ["transition"]:
        from .transition_command import main as transition

        sys.exit(transition(sys.argv[2:]))
    run_cli(SPEC, create_app)


if __name__ == "__main__":
    main()
