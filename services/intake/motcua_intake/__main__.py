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
    if sys.argv[1:2] == ["personal-data"]:  # a citizen's request about their data (docs/personal-data.md)
        from .personal_data import main as personal_data

        sys.exit(personal_data(sys.argv[2:]))
    if sys.argv[1:2] == ["new-id-key"]:  # a fresh INTAKE_ID_ENCRYPTION_KEY
        from .identity import new_encryption_key

        print(new_encryption_key())
        return
    if sys.argv[1:2] == ["after-restore"]:  # after a restore of intake's database (docs/backups.md)
        from .after_restore import main as after_restore

        sys.exit(after_restore(sys.argv[2:]))
    if sys.argv[1:2] == ["reference"]:  # import a reference set (docs/reference-data.md)
        from .reference_import import main as reference

        sys.exit(reference(sys.argv[2:]))
    if sys.argv[1:2] == ["import"]:
        from .imports.command import main as import_file

        import_file()
        return
    run_cli(SPEC, create_app)


if __name__ == "__main__":
    main()
