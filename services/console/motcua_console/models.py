"""The console's own database: officer accounts, their sessions, sign-in attempts and an audit log.

Nothing about dossiers is kept here: pages read those from the services on every request.
"""
from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Index, Integer, String, Table, Text

from motcua_shared.db import new_metadata

metadata = new_metadata()

accounts = Table(
    "accounts", metadata,
    Column("id", String(36), primary_key=True),
    Column("username", String(64), nullable=False, unique=True),  # lower-cased, NFC
    Column("full_name", String(200), nullable=False),
    Column("unit", String(20), nullable=False),  # every officer has one; the province's are at "14"
    Column("roles", String(200), nullable=False),  # space-separated officer roles
    Column("password_hash", String(200), nullable=True),  # None for accounts that sign in through OpenID Connect
    Column("must_change_password", Boolean, nullable=False, default=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("source", String(10), nullable=False, default="local"),  # local | oidc
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("last_sign_in_at", DateTime(timezone=True), nullable=True),
)

sessions = Table(
    "sessions", metadata,
    Column("id_hash", String(64), primary_key=True),  # SHA-256 of the cookie's random id: a stolen table signs no one in
    Column("account_id", String(36), ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=False),
    Column("user_agent", String(200), nullable=True),
    Index("ix_sessions_account_id", "account_id"),
)

sign_in_attempts = Table(
    "sign_in_attempts", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("succeeded", Boolean, nullable=False),
    Index("ix_sign_in_attempts_username_at", "username", "at"),
)

audit_entries = Table(
    "audit_entries", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(64), nullable=True),  # username of who acted; None for anonymous attempts
    Column("action", String(40), nullable=False),
    Column("detail", Text, nullable=True),
    Index("ix_audit_entries_at", "at"),
)
