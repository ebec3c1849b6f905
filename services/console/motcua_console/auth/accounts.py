"""Officer accounts: create, edit, disable, reset, sign in (with lockout), the first administrator.

Every function takes the service `Runtime` (its database) and answers plain values; the web pages and
the `accounts` command are both built on these, so an account made either way is the same account.
"""
from __future__ import annotations

import secrets
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, insert, select, update

from motcua_shared.web.auth import OFFICER_ROLES

from ..models import accounts, audit_entries, sessions, sign_in_attempts
from . import passwords
from .clock import aware, now

ADMIN_USERNAME = "admin"
# The province's unit code (Sơn La): the first administrator's unit, and the unit migration 0002 gave the
# accounts made before every officer had to belong to a unit. An officer's scope is their unit in every
# service; the province's administrator sees the whole province because their unit is the province.
PROVINCE_UNIT = "14"


class AccountError(ValueError):
    """A refused account change, with the form field it concerns and a Vietnamese message."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Account:
    id: str
    username: str
    full_name: str
    unit: str | None
    roles: tuple[str, ...]
    active: bool
    must_change_password: bool
    source: str
    last_sign_in_at: object = None

    @classmethod
    def from_row(cls, row) -> "Account":
        return cls(id=row.id, username=row.username, full_name=row.full_name, unit=row.unit,
                   roles=tuple(row.roles.split()), active=row.active, must_change_password=row.must_change_password,
                   source=row.source, last_sign_in_at=aware(row.last_sign_in_at))

    def has(self, *roles: str) -> bool:
        return bool(set(self.roles) & set(roles))


def normalise_username(raw: str) -> str:
    return unicodedata.normalize("NFC", raw or "").strip().lower()


def _check(username: str, full_name: str, roles, unit: str | None) -> tuple[str, str, tuple[str, ...], str]:
    from ..units import known_unit

    username = normalise_username(username)
    if not (3 <= len(username) <= 64) or not all(c.isascii() and (c.isalnum() or c in "._-") for c in username):
        raise AccountError("username", "Tên đăng nhập gồm 3–64 chữ cái không dấu, chữ số, dấu chấm, gạch ngang hoặc gạch dưới.")
    full_name = unicodedata.normalize("NFC", full_name or "").strip()
    if not full_name or len(full_name) > 200:
        raise AccountError("full_name", "Nhập họ và tên (tối đa 200 ký tự).")
    roles = tuple(sorted(set(roles)))
    if not roles or not set(roles) <= OFFICER_ROLES:
        raise AccountError("roles", "Chọn ít nhất một vai trò.")
    unit = (unit or "").strip() or None
    if unit is None:
        # The services refuse an officer's token without a unit: there is no "province-wide, no unit".
        raise AccountError("unit", "Chọn đơn vị của cán bộ; cán bộ cấp tỉnh (kể cả quản trị viên) chọn Tỉnh Sơn La.")
    if not known_unit(unit):
        raise AccountError("unit", "Mã đơn vị không có trong danh mục đơn vị hành chính.")
    return username, full_name, roles, unit


def audit(conn, actor: str | None, action: str, detail: str = "") -> None:
    conn.execute(insert(audit_entries).values(at=now(), actor=actor, action=action, detail=detail or None))


def create(runtime, *, username: str, full_name: str, roles, unit: str | None, password: str | None,
           must_change_password: bool = True, source: str = "local", actor: str | None = None) -> Account:
    username, full_name, roles, unit = _check(username, full_name, roles, unit)
    if password is not None:
        reason = passwords.weakness(password, username)
        if reason:
            raise AccountError("password", reason)
    moment = now()
    with runtime.engine.begin() as conn:
        if conn.execute(select(accounts.c.id).where(accounts.c.username == username)).first():
            raise AccountError("username", "Tên đăng nhập này đã có.")
        account_id = str(uuid.uuid4())
        conn.execute(insert(accounts).values(
            id=account_id, username=username, full_name=full_name, unit=unit, roles=" ".join(roles),
            password_hash=passwords.hash_password(password) if password is not None else None,
            must_change_password=must_change_password and password is not None, active=True, source=source,
            created_at=moment, updated_at=moment))
        audit(conn, actor, "account_created", f"{username} {' '.join(roles)} {unit or '-'}")
    return get(runtime, account_id)


def update_account(runtime, account_id: str, *, full_name: str, roles, unit: str | None, active: bool,
                   actor: str | None = None) -> Account:
    current = get(runtime, account_id)
    if current is None:
        raise AccountError("username", "Không có tài khoản này.")
    _, full_name, roles, unit = _check(current.username, full_name, roles, unit)
    with runtime.engine.begin() as conn:
        conn.execute(update(accounts).where(accounts.c.id == account_id).values(
            full_name=full_name, roles=" ".join(roles), unit=unit, active=active, updated_at=now()))
        if not active or set(roles) != set(current.roles) or unit != current.unit:
            # What the officer may do changed: sessions minted under the old rights end now.
            conn.execute(delete(sessions).where(sessions.c.account_id == account_id))
        audit(conn, actor, "account_updated",
              f"{current.username} {' '.join(roles)} {unit or '-'} {'active' if active else 'disabled'}")
    return get(runtime, account_id)


def set_password(runtime, account_id: str, password: str, *, must_change: bool, actor: str | None = None,
                 keep_session: str | None = None) -> None:
    account = get(runtime, account_id)
    reason = passwords.weakness(password, account.username)
    if reason:
        raise AccountError("password", reason)
    with runtime.engine.begin() as conn:
        conn.execute(update(accounts).where(accounts.c.id == account_id).values(
            password_hash=passwords.hash_password(password), must_change_password=must_change, updated_at=now()))
        ended = delete(sessions).where(sessions.c.account_id == account_id)
        if keep_session:
            ended = ended.where(sessions.c.id_hash != keep_session)
        conn.execute(ended)
        # A reset by an administrator also lifts a lockout.
        conn.execute(delete(sign_in_attempts).where(sign_in_attempts.c.username == account.username))
        audit(conn, actor, "password_reset" if must_change else "password_changed", account.username)


def get(runtime, account_id: str) -> Account | None:
    with runtime.engine.connect() as conn:
        row = conn.execute(select(accounts).where(accounts.c.id == account_id)).first()
    return Account.from_row(row) if row else None


def by_username(runtime, username: str) -> Account | None:
    with runtime.engine.connect() as conn:
        row = conn.execute(select(accounts).where(accounts.c.username == normalise_username(username))).first()
    return Account.from_row(row) if row else None


def listing(runtime) -> list[Account]:
    with runtime.engine.connect() as conn:
        rows = conn.execute(select(accounts).order_by(accounts.c.unit, accounts.c.username)).all()
    return [Account.from_row(row) for row in rows]


class SignInRefused(Exception):
    def __init__(self, locked: bool):
        super().__init__("locked" if locked else "wrong credentials")
        self.locked = locked


def sign_in(runtime, username: str, password: str) -> Account:
    """The account if the password is right and the account neither disabled nor locked.

    A lock is 5 failures (CONSOLE_LOCKOUT_ATTEMPTS) within 15 minutes (CONSOLE_LOCKOUT_MINUTES); while it
    holds, even the right password is refused, and the refusal reads exactly like a wrong password so it
    tells an attacker nothing. The unknown-username path verifies a dummy hash: same time, same answer.
    """
    settings = runtime.settings
    key = normalise_username(username)[:64]
    moment = now()
    window_start = moment - timedelta(minutes=settings.console_lockout_minutes)
    with runtime.engine.connect() as conn:
        row = conn.execute(select(accounts).where(accounts.c.username == key)).first()
        failures = conn.execute(select(func.count()).select_from(sign_in_attempts).where(
            sign_in_attempts.c.username == key, sign_in_attempts.c.at >= window_start,
            sign_in_attempts.c.succeeded.is_(False))).scalar_one()
    locked = failures >= settings.console_lockout_attempts
    ok = passwords.verify(row.password_hash if row else None, password)
    good = ok and row is not None and row.active and not locked
    with runtime.engine.begin() as conn:
        conn.execute(insert(sign_in_attempts).values(username=key, at=moment, succeeded=good))
        if good:
            values = {"last_sign_in_at": moment}
            if passwords.needs_rehash(row.password_hash):
                values["password_hash"] = passwords.hash_password(password)
            conn.execute(update(accounts).where(accounts.c.id == row.id).values(**values))
            # Old attempts are no longer needed to decide anything.
            conn.execute(delete(sign_in_attempts).where(sign_in_attempts.c.at < window_start))
            audit(conn, key, "signed_in")
        else:
            # The failed name is logged in part only: it may be a password typed into the wrong box.
            audit(conn, None, "sign_in_locked" if locked else "sign_in_failed", key[:3] + "…")
    if not good:
        raise SignInRefused(locked=locked or failures + 1 >= settings.console_lockout_attempts)
    return Account.from_row(row)


def upsert_oidc(runtime, *, subject: str, full_name: str, roles, unit: str | None) -> Account:
    """The mirror of an officer who signs in through the province's identity provider: their roles and
    unit are what the provider says at each sign-in, and they have no password here."""
    username = f"oidc:{subject}"[:64]
    _, full_name, roles, unit = _check("oidc-user", full_name or subject, roles, unit)
    existing = by_username(runtime, username)
    if existing is None:
        moment = now()
        with runtime.engine.begin() as conn:
            conn.execute(insert(accounts).values(
                id=str(uuid.uuid4()), username=username, full_name=full_name, unit=unit, roles=" ".join(roles),
                password_hash=None, must_change_password=False, active=True, source="oidc",
                created_at=moment, updated_at=moment, last_sign_in_at=moment))
            audit(conn, username, "signed_in_oidc")
        return by_username(runtime, username)
    if not existing.active:
        raise SignInRefused(locked=False)
    with runtime.engine.begin() as conn:
        conn.execute(update(accounts).where(accounts.c.id == existing.id).values(
            full_name=full_name, roles=" ".join(roles), unit=unit, updated_at=now(), last_sign_in_at=now()))
        audit(conn, username, "signed_in_oidc")
    return get(runtime, existing.id)


def ensure_first_admin(runtime) -> str | None:
    """Create `admin` when no account exists yet. Its password is MOTCUA_ADMIN_PASSWORD, or a generated
    one that is returned (and printed once by the seed command); either way it must be changed at the
    first sign-in. Returns the generated password, or None."""
    with runtime.engine.connect() as conn:
        if conn.execute(select(func.count()).select_from(accounts)).scalar_one():
            return None
    password = runtime.settings.motcua_admin_password or None
    generated = None
    if password is None:
        generated = password = secrets.token_urlsafe(15)
    create(runtime, username=ADMIN_USERNAME, full_name="Quản trị hệ thống", roles=["admin"], unit=PROVINCE_UNIT,
           password=password, must_change_password=True, actor="seed")
    return generated
