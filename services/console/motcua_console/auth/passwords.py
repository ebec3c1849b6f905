"""Passwords: argon2id (argon2-cffi's defaults, RFC 9106's second recommendation), with the rules an
officer is told on the change-password page."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()
# Verified against when the username is unknown, so a wrong name costs as long as a wrong password and
# the answer time tells nobody which accounts exist.
_DUMMY = _HASHER.hash("không có tài khoản này")

MIN_LENGTH = 12
MAX_LENGTH = 256


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify(stored: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(stored or _DUMMY, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return _HASHER.check_needs_rehash(stored)


def weakness(password: str, username: str) -> str | None:
    """A Vietnamese reason the password may not be used, or None."""
    if len(password) < MIN_LENGTH:
        return f"Mật khẩu phải có ít nhất {MIN_LENGTH} ký tự."
    if len(password) > MAX_LENGTH:
        return f"Mật khẩu không được dài quá {MAX_LENGTH} ký tự."
    if username and username.lower() in password.lower():
        return "Mật khẩu không được chứa tên đăng nhập."
    if len(set(password)) < 5:
        return "Mật khẩu quá đơn giản: hãy dùng nhiều ký tự khác nhau."
    return None
