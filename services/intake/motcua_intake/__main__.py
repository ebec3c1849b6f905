import sys

from motcua_shared.cli import main as run_cli

from .app import create_app
from .service import SPEC


def main() -> None:
    # Commands of intake's own beside the shared ones (api, worker, migrate, seed, ...).
    if sys.argv[1:2] == ["rehash"]:
        from .rehash import main as rehash

        rehash()
        return
    if sys.argv[1:2] == ["import"]:
        from .imports.command import main as import_file

        import_file()
        return
    run_cli(SPEC, create_app)


if __name__ == "__main__":
    main()
