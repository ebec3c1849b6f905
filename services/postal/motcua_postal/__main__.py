import sys

from motcua_shared.cli import main as run_cli

from .app import create_app
from .service import SPEC


def main() -> None:
    # Postal's own command beside the shared ones: a citizen's request to erase their contacts.
    if sys.argv[1:2] == ["erase-contacts"]:
        from .retention import main as erase_contacts

        sys.exit(erase_contacts(sys.argv[2:]))
    run_cli(SPEC, create_app)


if __name__ == "__main__":
    main()
