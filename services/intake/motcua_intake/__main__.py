from motcua_shared.cli import main as run_cli

from .app import create_app
from .service import SPEC


def main() -> None:
    run_cli(SPEC, create_app)


if __name__ == "__main__":
    main()
