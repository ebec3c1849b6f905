"""The quick starts of examples/*/README.md, read as a partner reads them, to be run in CI.

A README marks its quick start with fenced blocks whose info string names their part:

- ```sh quickstart-run     the one line that starts motcua: `[VARIABLE=value ...] make run`;
- ```sh quickstart         commands, run in order in one shell (exports carry over, `&` backgrounds);
- ```sh quickstart-check   the command a reader repeats to see the effect ...
- ```text quickstart-expect  ... until it prints these lines.

The blocks may sit indented in a list item; they are dedented. `run` runs one README's quick start
against a running `make run` (tests/integration/test_make_run.py starts it, with `run_variables()`).
"""
from __future__ import annotations

import json
import os
import re
import shlex
import signal
import sqlite3
import subprocess
import textwrap
import threading
from dataclasses import dataclass
from pathlib import Path

FENCE = re.compile(r"^(?P<indent>[ \t]*)```(?P<lang>\w+) +(?P<part>quickstart(?:-\w+)?)[ \t]*\n(?P<body>.*?)^(?P=indent)```[ \t]*$",
                   re.M | re.S)
PARTS = ("quickstart-run", "quickstart", "quickstart-check", "quickstart-expect")


@dataclass
class QuickStart:
    readme: Path
    run_variables: dict[str, str]  # the assignments before `make run`
    commands: str  # every `quickstart` block, in order
    check: str
    expect: list[str]


def read(readme: Path) -> QuickStart:
    blocks: dict[str, list[str]] = {part: [] for part in PARTS}
    for match in FENCE.finditer(readme.read_text(encoding="utf-8")):
        if match["part"] not in blocks:
            raise AssertionError(f"{readme}: unknown quick-start block {match['part']!r}")
        blocks[match["part"]].append(textwrap.dedent(match["body"]))
    for part in ("quickstart-run", "quickstart-check", "quickstart-expect"):
        if len(blocks[part]) != 1:
            raise AssertionError(f"{readme}: {len(blocks[part])} ```{part} blocks, one expected")
    if not blocks["quickstart"]:
        raise AssertionError(f"{readme}: no ```quickstart commands")
    words = shlex.split(blocks["quickstart-run"][0], comments=True)
    if words[-2:] != ["make", "run"] or not all("=" in word for word in words[:-2]):
        raise AssertionError(f"{readme}: the run block must be `[VARIABLE=value ...] make run`, not {words}")
    return QuickStart(readme=readme, run_variables=dict(word.split("=", 1) for word in words[:-2]),
                      commands="\n".join(blocks["quickstart"]), check=blocks["quickstart-check"][0],
                      expect=[line.strip() for line in blocks["quickstart-expect"][0].splitlines() if line.strip()])


def localise(text: str, replacements: dict[str, str]) -> str:
    """The documented addresses (127.0.0.1:8000, the broker's vhost /, var/) replaced by a test run's own.
    Each must be there: a README that stopped using one would otherwise pass without being run as written."""
    for documented, actual in replacements.items():
        pattern = re.compile(r"(?<![\w.])" + re.escape(documented))
        if not pattern.search(text):
            raise AssertionError(f"the quick start no longer mentions {documented!r}: update the test's map")
        text = pattern.sub(lambda _m: actual, text)
    return text


# -- running them ------------------------------------------------------------------------------------------
ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ("province_routing", "postal_partner")
SCHEMAS = ROOT / "docs" / "events" / "schemas"
READY = "__quickstart_commands_done__"


def readme(example: str) -> Path:
    return ROOT / "examples" / example / "README.md"


def run_variables() -> dict[str, str]:
    """What the quick starts put before `make run`, all of them: one run serves both."""
    variables: dict[str, str] = {}
    for example in EXAMPLES:
        for name, value in read(readme(example)).run_variables.items():
            if variables.setdefault(name, value) != value:
                raise AssertionError(f"the quick starts disagree on {name}")
    return variables


def partner_environment(jwt_secret: str) -> dict[str, str]:
    """A partner's terminal: no service, broker or partner setting of this machine leaks in; the
    development token secret is the one the run and `make token` share."""
    dropped = ("_AMQP_URL", "_DATABASE_URL", "_PORT", "_PASSWORD", "_URL")
    env = {name: value for name, value in os.environ.items()
           if not name.endswith(dropped) and not name.startswith(("PROVINCE_", "POSTAL_PARTNER_", "ROUTING_"))}
    return {**env, "MOTCUA_JWT_SECRET": jwt_secret}


def run(example: str, *, proxy_port: int, amqp_address: str, var_dir: Path, work_dir: Path, jwt_secret: str,
        timeout: float = 90) -> str:
    """The README's commands in one shell from the repository's root, then its check repeated until it
    prints the documented lines; returns what the shell printed. The documented addresses become the
    run's: 127.0.0.1:8000 its proxy, 127.0.0.1:5672/%2F its broker and vhost (`amqp_address`), var/ its
    var directory."""
    from .waiting import wait_for

    if subprocess.run(["make", "-q", ".venv/.installed"], cwd=ROOT).returncode != 0:
        # The READMEs run `make token`, which would first reinstall the environment, mid-test.
        raise AssertionError("the environment is older than the locks: run `make .venv/.installed` first")
    guide = read(readme(example))
    separator = f"\n# {READY}\n"
    commands, check = localise(guide.commands + separator + guide.check, {
        "127.0.0.1:8000": f"127.0.0.1:{proxy_port}",
        "127.0.0.1:5672/%2F": amqp_address,
        "var/": f"{var_dir}/",
    }).split(separator)
    output, transcript = work_dir / f"{example}.check", work_dir / f"{example}.log"
    script = (f"set -eo pipefail\n{commands}\necho {READY}\n"
              f"while :; do\n( {check}\n) > '{output}.partial' 2>&1 || true\n"
              f"mv '{output}.partial' '{output}'\nsleep 1\ndone\n")
    # Through a pipe, not a file: `tee /dev/stderr` in a README reopens its standard error, which on a
    # file would start writing again at its beginning.
    shell = subprocess.Popen(["bash", "-c", script], cwd=ROOT, env=partner_environment(jwt_secret),
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    copier = threading.Thread(target=_copy, args=(shell.stdout, transcript), daemon=True)
    copier.start()

    def shown() -> bool:
        if shell.poll() is not None:
            copier.join(timeout=5)
            raise AssertionError(f"{example}'s quick start stopped ({shell.returncode}):\n"
                                 f"{transcript.read_text(errors='replace')[-4000:]}")
        printed = [line.strip() for line in output.read_text().splitlines()] if output.exists() else []
        return all(line in printed for line in guide.expect)

    try:
        wait_for(shown, timeout=timeout, interval=0.5, what=f"{example}'s check to print {guide.expect}")
    except AssertionError:
        print(transcript.read_text(errors="replace")[-4000:])
        raise
    finally:
        os.killpg(shell.pid, signal.SIGTERM)  # the shell and the example it started, as Ctrl-C would
        shell.wait(timeout=30)
        copier.join(timeout=5)
    return transcript.read_text(errors="replace")


def _copy(stream, path: Path) -> None:
    with open(path, "wb") as out:
        for line in stream:
            out.write(line)
            out.flush()


def published(state_file: Path, query: str, event_type: str) -> list[dict]:
    """The events an example stored before publishing them (its state file), each checked against the
    published JSON Schema of its type, as a partner's own tools would check it."""
    import jsonschema

    schema = json.loads((SCHEMAS / f"{event_type}.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    with sqlite3.connect(state_file) as db:
        events = [json.loads(body) for (body,) in db.execute(query)]
    for event in events:
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(event)]
        assert not errors, f"{state_file.name}: an event that is not the published {event_type}: {errors}"
    return events
