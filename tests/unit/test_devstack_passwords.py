"""`make run` gives the broker users random passwords, not their own names (issue 15): generated once
per var directory, kept there readable by its owner only, and a *_PASSWORD variable still wins."""
from __future__ import annotations

import stat

from motcua_shared import devstack
from motcua_shared.broker.permissions import all_permissions, password_variable

USERS = {password_variable(p.user): p.user for p in all_permissions()}


class RecordingAdmin:
    """The broker's management API as `create_users` calls it: what each user was given."""

    def __init__(self):
        self.users: dict[str, str] = {}

    def ensure_user(self, user: str, password: str) -> None:
        self.users[user] = password

    def set_permissions(self, vhost: str, permission) -> None:
        pass


def test_make_run_creates_no_broker_user_whose_password_is_its_name(tmp_path, monkeypatch, capsys):
    admin = RecordingAdmin()
    monkeypatch.setattr(devstack, "default_admin", lambda *args: admin)
    monkeypatch.setattr(devstack, "declare_system", lambda *args: None)
    for variable in USERS:
        monkeypatch.delenv(variable, raising=False)
    devstack._setup_broker("amqp://guest:guest@127.0.0.1:5672/%2F", (), str(tmp_path))
    assert set(admin.users) == set(USERS.values())
    assert all(password != user and len(password) >= 20 for user, password in admin.users.items())
    kept = devstack.read_passwords(tmp_path / "broker-passwords.env")
    assert kept == {password_variable(user): password for user, password in admin.users.items()}
    said = capsys.readouterr().err
    assert str(tmp_path / "broker-passwords.env") in said and "POSTAL_PARTNER_PASSWORD" in said
    assert not any(password in said for password in admin.users.values())  # where, never what


def test_the_passwords_stay_with_the_var_directory_and_a_variable_wins(tmp_path):
    first, path = devstack.broker_passwords(tmp_path, {})
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again, _ = devstack.broker_passwords(tmp_path, {})
    assert again == first  # the partners' configured passwords keep working from one run to the next
    chosen, _ = devstack.broker_passwords(tmp_path, {"POSTAL_PARTNER_PASSWORD": "chosen-by-the-district"})
    assert chosen["POSTAL_PARTNER_PASSWORD"] == "chosen-by-the-district"
    assert {k: v for k, v in chosen.items() if k != "POSTAL_PARTNER_PASSWORD"} == \
        {k: v for k, v in first.items() if k != "POSTAL_PARTNER_PASSWORD"}
    other, _ = devstack.broker_passwords(tmp_path / "elsewhere", {})
    assert set(other.values()).isdisjoint(first.values())
