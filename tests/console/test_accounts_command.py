"""`python -m motcua_console accounts ...` (docs/contracts.md §7): the password on standard input, the same
rules as the administration page, an account that then signs in through the real form."""
from __future__ import annotations

import os
import subprocess
import sys

from console.support import sign_in


def _run(database_url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "CONSOLE_DATABASE_URL": database_url, "LOG_LEVEL": "WARNING"}
    return subprocess.run([sys.executable, "-m", "motcua_console", *args], input=stdin, text=True,
                          capture_output=True, env=env, timeout=60)


def test_accounts_are_created_reset_and_disabled_from_the_command_line(console_databases, console):
    url = console_databases["console"]
    created = _run(url, "accounts", "create", "lo.thi.hoa", "--name", "Lò Thị Hoa", "--unit", "04222",
                   "--role", "receptionist", "--role", "leader", stdin="Bản Hưng Mai 2026\n")
    assert created.returncode == 0, created.stderr
    answer = sign_in(console.client(), "lo.thi.hoa", "Bản Hưng Mai 2026")
    assert answer.status_code == 303 and answer.headers["Location"] == "/doi-mat-khau"  # first sign-in

    refused = _run(url, "accounts", "create", "x", "--name", "X", "--unit", "99999", "--role", "receptionist",
                   stdin="một mật khẩu đủ dài\n")
    assert refused.returncode == 2 and "refused" in refused.stderr

    assert _run(url, "accounts", "reset-password", "lo.thi.hoa", stdin="Mật khẩu tạm thời 7\n").returncode == 0
    assert sign_in(console.client(), "lo.thi.hoa", "Bản Hưng Mai 2026").status_code == 401
    assert sign_in(console.client(), "lo.thi.hoa", "Mật khẩu tạm thời 7").status_code == 303

    assert _run(url, "accounts", "disable", "lo.thi.hoa").returncode == 0
    assert sign_in(console.client(), "lo.thi.hoa", "Mật khẩu tạm thời 7").status_code == 401
    listed = _run(url, "accounts", "list")
    assert "lo.thi.hoa\tLò Thị Hoa\t04222\tleader receptionist\tdisabled" in listed.stdout
    assert _run(url, "accounts", "disable", "khong-co").returncode == 1
