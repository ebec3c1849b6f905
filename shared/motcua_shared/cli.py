"""The command line every service shares: `python -m motcua_<service> <command>`.

  api       serve the HTTP API under gunicorn
  worker    consume events and relay the outbox
  migrate   upgrade the service's database to the head migration
  seed      load the service's reference data (idempotent)
  revision  autogenerate a migration from the models (-m "message")
  openapi   print the OpenAPI document
  replay    re-publish this service's recent events to one restored consumer (docs/backups.md)
  --version the release (VERSION)
"""
from __future__ import annotations

import argparse
import json
import sys

from . import __version__, logs, migrations
from .service import Runtime, ServiceSpec


# Commands that work on the database alone: no broker credentials are asked of them in production.
OFFLINE_COMMANDS = frozenset({"migrate", "seed", "revision", "openapi"})


def main(spec: ServiceSpec, app_factory, argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog=f"motcua-{spec.name}", description=spec.description)
    parser.add_argument("--version", action="version", version=f"motcua-{spec.name} {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("api")
    sub.add_parser("worker")
    sub.add_parser("migrate")
    sub.add_parser("seed")
    rev = sub.add_parser("revision")
    rev.add_argument("-m", "--message", required=True)
    sub.add_parser("openapi")
    from .messaging import replay

    replay.add_arguments(sub.add_parser("replay", help="re-publish recent events to a restored consumer"))
    args = parser.parse_args(argv)
    runtime = Runtime(spec, uses_broker=args.command not in OFFLINE_COMMANDS)
    logs.configure(spec.name, args.command, runtime.settings.log_level)

    if args.command == "api":
        from .server import serve

        serve(app_factory, service=spec.name, port=runtime.settings.port, workers=runtime.settings.web_workers,
              var_dir=runtime.settings.motcua_var_dir,
              timeout=runtime.settings.web_timeout, threads=runtime.settings.web_threads)
    elif args.command == "worker":
        from .worker import run

        run(spec)
    elif args.command == "migrate":
        migrations.upgrade(spec, runtime.settings.database_url)
    elif args.command == "seed":
        if spec.seed:
            spec.seed(runtime)
    elif args.command == "revision":
        migrations.revision(spec, runtime.settings.database_url, args.message)
    elif args.command == "replay":
        status = replay.command(runtime, args)
        runtime.close()
        sys.exit(status)
    elif args.command == "openapi":
        app = app_factory()
        json.dump(app.extensions["motcua_api"].spec.to_dict(), sys.stdout, ensure_ascii=False, indent=2, sort_keys=True)
        sys.stdout.write("\n")
    runtime.close()
