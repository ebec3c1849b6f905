"""`make run`: the whole system in the foreground, for a district's IT staff or a developer.

1. check the broker (exit at once, with one line saying how to start one, if it is not there);
2. create the service and partner broker users with their permissions (contracts.md §4);
3. declare the whole broker topology;
4. migrate and seed every service's database (SQLite under var/ unless <SERVICE>_DATABASE_URL);
5. start each service's API and worker, the officers' console (http://127.0.0.1:8006; its first
   administrator `admin` gets MOTCUA_ADMIN_PASSWORD, or a generated password printed once), and, unless
   SMTP_HOST or SMS_GATEWAY_URL is set, the development mail catcher and SMS sink; Ctrl-C (or SIGTERM)
   stops them all cleanly.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.parse

import pika

from .broker.admin import default_admin
from .broker.connection import parameters, redacted
from .broker.setup import create_users, declare_system
from .settings import CONSOLE, SERVICES, load


def _say(message: str) -> None:
    print(f"motcua: {message}", file=sys.stderr, flush=True)


def _broker_reachable(url: str) -> bool:
    params = parameters(url, name="motcua run check", heartbeat=0)
    params.socket_timeout = 3
    try:
        pika.BlockingConnection(params).close()
        return True
    except Exception:
        return False


def _setup_broker(url: str, retry_delays) -> None:
    vhost = urllib.parse.unquote(pika.URLParameters(url).virtual_host)
    creds = pika.URLParameters(url).credentials
    try:
        admin = default_admin(os.environ.get("RABBITMQ_MANAGEMENT_URL", ""), creds.username, creds.password)
        passwords = create_users(admin, vhost)
        defaults = [user for user, password in passwords.items() if password == user]
        if defaults:
            _say(f"broker users created with development passwords (set their *_PASSWORD variables): {', '.join(defaults)}")
    except Exception as exc:  # the services still run as the AMQP_URL user; only the partner users are missing
        _say(f"could not create broker users ({exc}); partners cannot log in until they exist")
    declare_system(url, retry_delays)


def main() -> int:
    settings = load("intake")
    url = settings.amqp_url
    if not _broker_reachable(url):
        _say(f"cannot reach RabbitMQ at {redacted(url)}: start one with `rabbitmq-server -detached` "
             f"(or `docker compose up -d rabbitmq`), or set AMQP_URL")
        return 1
    _setup_broker(url, settings.consumer_retry_delays)
    os.makedirs(settings.motcua_var_dir, exist_ok=True)
    python = sys.executable
    for service in (*SERVICES, CONSOLE):
        for step in ("migrate", "seed"):
            # The console's seed prints the first administrator's generated password, once.
            subprocess.run([python, "-m", f"motcua_{service}", step], check=True)
    children: list[tuple[str, subprocess.Popen]] = []
    if not (os.environ.get("SMTP_HOST") or os.environ.get("SMS_GATEWAY_URL")):
        # No real providers configured: catch the e-mails and SMS locally (notification's defaults
        # point there) so a newcomer sees every message: http://127.0.0.1:8090/messages and /mails.
        children.append(("dev sinks", subprocess.Popen([python, "-m", "motcua_notification.devsinks"])))
    for service in SERVICES:
        for command in ("api", "worker"):
            children.append((f"{service} {command}", subprocess.Popen([python, "-m", f"motcua_{service}", command])))
    children.append(("console", subprocess.Popen([python, "-m", "motcua_console", "api"])))
    ports = ", ".join(f"{s} http://127.0.0.1:{load(s).port}" for s in (*SERVICES, CONSOLE))
    _say(f"running: {ports}. Ctrl-C stops everything.")

    stopping = False

    def stop(_signum, _frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    exit_code = 0
    while not stopping:
        time.sleep(0.5)
        dead = [(name, p.returncode) for name, p in children if p.poll() is not None]
        if stopping:
            # Ctrl-C in a terminal reaches the whole process group: the children stop on their own
            # at the same moment, and one of them exiting then is the stop, not a failure. Checked
            # after the poll: a child seen dead got its signal no later than we did.
            break
        if dead:
            _say(f"{dead[0][0]} exited with {dead[0][1]}; stopping the others")
            exit_code = 1
            break
    for _name, proc in children:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for _name, proc in children:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    _say("stopped")
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
