"""The RabbitMQ definitions file that docker compose loads at boot (docs/contracts.md §1): users,
permissions, the vhost, every exchange, quorum queue and binding of the system, and its policies.

    python -m motcua_shared.broker.definitions > deploy/rabbitmq/definitions.json   (make docs)

Generated from the same objects the services declare (`system_topology`, `all_permissions`), so
the broker a district boots is exactly the one the code expects: every queue carries the very
x-arguments its owner re-declares at start (RabbitMQ refuses a re-declare whose arguments differ),
and `tests/unit/test_compose.py` fails when the committed file drifts from a fresh generation.

Passwords: the committed file holds no password and no hash of one. Each user's `password_hash`
is a placeholder naming the environment variable its password comes from, `@hash(INTAKE_BROKER_PASSWORD)@`.
At container start `deploy/rabbitmq/docker-entrypoint.sh` replaces every placeholder with a hash
computed from the environment (RabbitMQ's `rabbit_password_hashing_sha256`: base64 of a 4-byte
random salt followed by sha256(salt + UTF-8 password)), writes the result inside the container and
execs the image's entrypoint, and the node imports it at boot. Why not the alternatives:

- hashes computed when the file is generated would freeze one set of passwords (the developer's
  environment at `make docs` time) into git for every district, and a random salt would make the
  file differ at each generation, so it could no longer be checked for drift;
- leaving users out of the file and creating them after the node is up (rabbitmqctl from a
  side process) would leave a window in which the broker runs without the users the services log
  in with, and contradict "definitions loaded at boot: users, permissions, ..." (docs/contracts.md §1).

With the placeholder, users and permissions are still definitions loaded at boot, their list is
generated from the code (never a hand-kept list in a shell script), the committed file is
deterministic, and the passwords live only in the environment. `render()` is the same
substitution in Python (`--render` on the command line), for a broker outside docker:
`python -m motcua_shared.broker.definitions --render > /tmp/d.json && rabbitmqctl import_definitions /tmp/d.json`.

Users: one per service (`motcua-<service>`, password `<SERVICE>_BROKER_PASSWORD`), the two
partners (`postal_partner`, `province_routing`, docs/contracts.md §4), and `motcua-admin` (tag
administrator, `RABBITMQ_ADMIN_PASSWORD`) for the management UI and operators. No `guest`: with
definitions imported at boot RabbitMQ does not create its default user, and rabbitmq.conf keeps
guest to loopback connections should one ever exist.

Policies bound every queue that can grow without a consumer keeping up, so that nobody (a stopped
worker, a flooding partner) can fill the broker's disk and block every publisher. Each sets no key
the code declares as an x-argument (those win over policies anyway), their patterns are disjoint,
and every bounded queue refuses publishes when full (`reject-publish`), never drops:
- `motcua-consumer-queue-bounds`: the services' own consumer queues, `max-length` 1,000,000 (the
  bound docs/reliability.md §1.4 recommends next to at-least-once dead-lettering). When one is full the
  broker nacks the publish and the events wait in the publishers' outbox tables.
- `motcua-partner-queue-bounds`: the queues a partner writes to (`postal.partner-reports`,
  `routing.step-answers`), 100,000 messages and 100 MiB: a partner's publishes are refused (nacked)
  beyond that, and a partner must retry later, as docs/contracts.md asks of it anyway.
- `motcua-dead-letter-bounds`: every `<queue>.dlq`, 100,000 messages, `overflow: reject-publish`.
  With at-least-once dead-lettering a full DLQ keeps the message in its source queue, where it is
  retried, never lost; an alarm on the DLQ depth (docs/operations.md) says so long before.
The delay queues hold messages for seconds and `postal.pickups` is drained by the partner under its
own agreement; neither gets a policy (a plain `max-length` would drop their oldest messages).
The largest message the broker accepts is set in rabbitmq.conf (`max_message_size`), next to the
consumers' own bounds (events.envelope.MAX_EVENT_BYTES).
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import re
import secrets
import sys
from typing import Any, Iterable, Mapping

from ..settings import COMMON, SERVICES
from .catalogue import ROUTING_STEP_ANSWERS, SUBSCRIPTIONS, system_topology
from .permissions import Permission, all_permissions, password_variable

VHOST = "motcua"
HASHING_ALGORITHM = "rabbit_password_hashing_sha256"
ADMIN_USER = "motcua-admin"
ADMIN_PASSWORD_VARIABLE = "RABBITMQ_ADMIN_PASSWORD"
CONSUMER_QUEUE_MAX_LENGTH = 1_000_000
PARTNER_QUEUE_MAX_LENGTH = 100_000
PARTNER_QUEUE_MAX_BYTES = 100 * 1024 * 1024
DEAD_LETTER_MAX_LENGTH = 100_000

_PLACEHOLDER = re.compile(r"@hash\(([A-Z][A-Z0-9_]*)\)@")


def default_retry_delays() -> tuple[float, ...]:
    return next(s.default for s in COMMON if s.name == "CONSUMER_RETRY_DELAYS")


def placeholder(variable: str) -> str:
    return f"@hash({variable})@"


def password_hash(password: str, salt: bytes | None = None) -> str:
    """RabbitMQ's rabbit_password_hashing_sha256: base64(salt + sha256(salt + password))."""
    salt = secrets.token_bytes(4) if salt is None else salt
    return base64.b64encode(salt + hashlib.sha256(salt + password.encode("utf-8")).digest()).decode("ascii")


def check_password(password: str, hashed: str) -> bool:
    raw = base64.b64decode(hashed)
    salt, digest = raw[:4], raw[4:]
    return len(digest) == 32 and hashlib.sha256(salt + password.encode("utf-8")).digest() == digest


def _admin_permission() -> Permission:
    return Permission(ADMIN_USER, ".*", ".*", ".*")


def _user_variable(user: str) -> str:
    return ADMIN_PASSWORD_VARIABLE if user == ADMIN_USER else password_variable(user)


def consumer_queues() -> list[str]:
    return sorted(sub.queue for service in SERVICES for sub in SUBSCRIPTIONS[service])


def partner_written_queues() -> list[str]:
    """The queues a partner's publishes reach: those accepting only listed types, and routing's answers."""
    accepting = [sub.queue for service in SERVICES for sub in SUBSCRIPTIONS[service] if sub.accepts is not None]
    return sorted({*accepting, ROUTING_STEP_ANSWERS})


def _exactly(queues: Iterable[str]) -> str:
    return "^(" + "|".join(re.escape(q) for q in queues) + ")$"


def policies(vhost: str = VHOST) -> list[dict[str, Any]]:
    internal = [q for q in consumer_queues() if q not in partner_written_queues()]

    def policy(name: str, pattern: str, definition: dict[str, Any]) -> dict[str, Any]:
        return {"vhost": vhost, "name": name, "pattern": pattern, "apply-to": "queues", "priority": 0,
                "definition": definition}

    return [
        policy("motcua-consumer-queue-bounds", _exactly(internal), {"max-length": CONSUMER_QUEUE_MAX_LENGTH}),
        policy("motcua-partner-queue-bounds", _exactly(partner_written_queues()),
               {"max-length": PARTNER_QUEUE_MAX_LENGTH, "max-length-bytes": PARTNER_QUEUE_MAX_BYTES}),
        policy("motcua-dead-letter-bounds", r"\.dlq$",
               {"max-length": DEAD_LETTER_MAX_LENGTH, "overflow": "reject-publish"}),
    ]


def definitions(retry_delays: Iterable[float] | None = None, vhost: str = VHOST,
                permissions: Iterable[Permission] | None = None) -> dict[str, Any]:
    """The definitions document, users' password hashes as placeholders (see the module docstring)."""
    delays = default_retry_delays() if retry_delays is None else tuple(retry_delays)
    topology = system_topology(delays)
    grants = [*(all_permissions() if permissions is None else permissions), _admin_permission()]
    return {
        "users": [{"name": p.user, "password_hash": placeholder(_user_variable(p.user)),
                   "hashing_algorithm": HASHING_ALGORITHM,
                   "tags": ["administrator"] if p.user == ADMIN_USER else []} for p in grants],
        "vhosts": [{"name": vhost}],
        "permissions": [{"user": p.user, "vhost": vhost, "configure": p.configure, "write": p.write,
                         "read": p.read} for p in grants],
        "topic_permissions": [],
        "parameters": [],
        "global_parameters": [],
        "policies": policies(vhost),
        "queues": [{"name": q.name, "vhost": vhost, "durable": True, "auto_delete": False,
                    "arguments": dict(sorted(q.args.items()))} for q in topology.queues],
        "exchanges": [{"name": e.name, "vhost": vhost, "type": e.type, "durable": True, "auto_delete": False,
                       "internal": False, "arguments": {}} for e in topology.exchanges],
        "bindings": [{"source": b.exchange, "vhost": vhost, "destination": b.queue, "destination_type": "queue",
                      "routing_key": b.routing_key, "arguments": {}} for b in topology.bindings],
    }


def password_variables(document: str) -> list[str]:
    """The environment variables a definitions text needs, in order of first appearance."""
    return list(dict.fromkeys(_PLACEHOLDER.findall(document)))


def render(document: str, environ: Mapping[str, str] | None = None) -> str:
    """Replace every password placeholder with a fresh hash of the password from the environment."""
    env = os.environ if environ is None else environ
    missing = [v for v in password_variables(document) if not env.get(v)]
    if missing:
        raise SystemExit(f"motcua: set the broker password variables {', '.join(missing)}")
    return _PLACEHOLDER.sub(lambda m: password_hash(env[m.group(1)]), document)


def dumps(document: Mapping[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m motcua_shared.broker.definitions",
                                     description="Print the RabbitMQ definitions of the whole system.")
    parser.add_argument("--vhost", default=VHOST)
    parser.add_argument("--retry-delays", default="",
                        help="comma-separated seconds; default: the CONSUMER_RETRY_DELAYS default")
    parser.add_argument("--render", action="store_true",
                        help="replace the password placeholders with hashes of the passwords in the environment")
    args = parser.parse_args(argv)
    delays = tuple(float(d) for d in args.retry_delays.split(",") if d.strip()) or None
    text = dumps(definitions(delays, vhost=args.vhost))
    sys.stdout.write(render(text) if args.render else text)


if __name__ == "__main__":
    main()
