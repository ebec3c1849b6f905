"""`python -m motcua_console api|migrate|seed|accounts ...`

  api        serve the console under gunicorn (port CONSOLE_PORT, 8006)
  migrate    upgrade the console's database
  seed       create the first administrator `admin` when there is no account (MOTCUA_ADMIN_PASSWORD,
             or a generated password printed once)
  accounts   create USERNAME --name "FULL NAME" --unit CODE --role ROLE [--role ROLE ...]
             (the password is read from standard input), disable USERNAME, reset-password USERNAME,
             list
"""
from __future__ import annotations

import argparse
import sys

from motcua_shared import __version__, logs, migrations
from motcua_shared.service import Runtime

from .service import SPEC


def _read_password() -> str:
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass("Mật khẩu: ")
    return sys.stdin.readline().rstrip("\r\n")


def _accounts(runtime, args) -> int:
    from .auth import accounts

    try:
        if args.action == "create":
            account = accounts.create(runtime, username=args.username, full_name=args.name, roles=args.role,
                                      unit=args.unit or None, password=_read_password(),
                                      must_change_password=not args.no_change, actor="command line")
            print(f"created {account.username} ({' '.join(account.roles)}, unit {account.unit or '-'})")
        elif args.action in ("disable", "reset-password"):
            account = accounts.by_username(runtime, args.username)
            if account is None:
                print(f"no account {args.username}", file=sys.stderr)
                return 1
            if args.action == "disable":
                accounts.update_account(runtime, account.id, full_name=account.full_name, roles=account.roles,
                                        unit=account.unit, active=False, actor="command line")
                print(f"disabled {account.username}")
            else:
                accounts.set_password(runtime, account.id, _read_password(), must_change=True, actor="command line")
                print(f"password of {account.username} reset; it must be changed at the next sign-in")
        elif args.action == "list":
            for account in accounts.listing(runtime):
                state = "active" if account.active else "disabled"
                print(f"{account.username}\t{account.full_name}\t{account.unit or '-'}\t{' '.join(account.roles)}\t{state}")
    except accounts.AccountError as exc:
        print(f"refused: {exc.message}", file=sys.stderr)
        return 2
    return 0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="motcua-console", description=SPEC.description)
    parser.add_argument("--version", action="version", version=f"motcua-console {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("api")
    sub.add_parser("migrate")
    sub.add_parser("seed")
    acc = sub.add_parser("accounts")
    acc_sub = acc.add_subparsers(dest="action", required=True)
    create = acc_sub.add_parser("create")
    create.add_argument("username")
    create.add_argument("--name", required=True)
    create.add_argument("--unit", default="")
    create.add_argument("--role", action="append", required=True)
    create.add_argument("--no-change", action="store_true",
                        help="do not require a new password at the first sign-in (test and demo accounts)")
    for action in ("disable", "reset-password"):
        acc_sub.add_parser(action).add_argument("username")
    acc_sub.add_parser("list")
    args = parser.parse_args(argv)
    runtime = Runtime(SPEC)
    logs.configure(SPEC.name, args.command, runtime.settings.log_level)
    code = 0
    if args.command == "api":
        from motcua_shared.server import serve

        from .app import create_app

        serve(create_app, service=SPEC.name, port=runtime.settings.port, workers=runtime.settings.web_workers,
              var_dir=runtime.settings.motcua_var_dir,
              timeout=runtime.settings.web_timeout, threads=runtime.settings.web_threads)
    elif args.command == "migrate":
        migrations.upgrade(SPEC, runtime.settings.database_url)
    elif args.command == "seed":
        from .auth.accounts import ensure_first_admin

        generated = ensure_first_admin(runtime)
        if generated:
            print(f"motcua: console administrator created: username admin, password {generated} "
                  f"(shown once; it must be changed at the first sign-in)", file=sys.stderr)
    elif args.command == "accounts":
        code = _accounts(runtime, args)
    runtime.close()
    sys.exit(code)


if __name__ == "__main__":
    main()
