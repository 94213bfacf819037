"""Users of a shared workstation and their passwords: who may sign (a radiologist), who may restore a backup
(an administrator or a radiologist), who only records.

A password is stored as `scrypt$N$r$p$salt$hash` (hex): a random 16-byte salt and `hashlib.scrypt` with the
parameters written beside it, so they can be raised later without breaking stored passwords: a password stored
with lower ones is hashed again with the current ones at its next successful check (`needs_rehash`).
"""

from __future__ import annotations

from dataclasses import dataclass

from .messages import Message

RADIOLOGIST, NURSE, ADMIN = "radiologist", "nurse", "admin"
ROLES = (RADIOLOGIST, NURSE, ADMIN)
SIGNING_ROLES = (RADIOLOGIST,)
# Who may allow user changes (storage/signatures.py), so the first user must have one of these roles.
AUTHORISING_ROLES = (ADMIN, RADIOLOGIST)

# Restoring a backup throws away everything recorded since it: for those who answer for the whole logbook.
RESTORING_ROLES = (ADMIN, RADIOLOGIST)

# OWASP's minimum for scrypt (Password Storage Cheat Sheet): 128 MiB of memory per check (128 * r * N bytes),
# about half a second: slow for guessing, bearable at a sign-in or a signature.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**17, 8, 1
# Room for the parameters above; a stored hash asking for more is not checked (a planted one could exhaust memory).
SCRYPT_MAXMEM = 256 * 1024 * 1024
_SALT_BYTES, _HASH_BYTES = 16, 64
MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH = 8, 1024


@dataclass(frozen=True)
class User:
    """A person who may sign in: only a radiologist may sign (`may_sign`). A deactivated user (one who left) signs
    in no more; a user whose password someone else set must choose their own before signing."""

    username: str
    full_name: str  # the printed name on signatures
    role: str
    active: bool = True
    must_change_password: bool = False

    @property
    def may_sign(self) -> bool:
        return self.role in SIGNING_ROLES


def password_problems(password: str) -> list[Message]:
    """What is wrong with a new password, as "must ..." phrases (empty: nothing). Passwords stored before a rule
    existed still sign in; the rules apply when one is set."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return [Message("password.short", length=MIN_PASSWORD_LENGTH)]
    if not password.strip():
        return [Message("password.blank")]
    if len(password) > MAX_PASSWORD_LENGTH:
        return [Message("password.long", length=MAX_PASSWORD_LENGTH)]
    return []


def may_restore(role: str | None) -> bool:
    """Whether a user of this role may replace the logbook with a backup (an administrator or a radiologist)."""
    return role in RESTORING_ROLES


def _stored(n: int, r: int, p: int, salt: bytes, digest: bytes) -> str:
    return f"scrypt${n}${r}${p}${salt.hex()}${digest.hex()}"


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    import hashlib  # loaded on first use, not at start-up (tests/ui/test_startup_imports.py)

    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=SCRYPT_MAXMEM, dklen=length)


def hash_password(password: str) -> str:
    import secrets

    salt = secrets.token_bytes(_SALT_BYTES)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, _HASH_BYTES)
    return _stored(SCRYPT_N, SCRYPT_R, SCRYPT_P, salt, digest)


def unknown_user_hash() -> str:
    """What a password is checked against when no user has the name given: the current parameters, so an unknown
    name costs the same work as a wrong password. Its digest is all zeros: no password matches it."""
    return _stored(SCRYPT_N, SCRYPT_R, SCRYPT_P, bytes(_SALT_BYTES), bytes(_HASH_BYTES))


def check_password(password: str, stored: str) -> bool:
    import hmac

    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = bytes.fromhex(digest)
        actual = _scrypt(password, bytes.fromhex(salt), int(n), int(r), int(p), len(expected))
    except ValueError:  # not a hash of ours, or one asking for more memory than SCRYPT_MAXMEM
        return False
    return hmac.compare_digest(actual, expected)


def needs_rehash(stored: str) -> bool:
    """Whether a stored hash (one that checked) was made with lower parameters than `hash_password` uses now."""
    _, n, r, p, _, _ = stored.split("$")
    return int(n) < SCRYPT_N or int(r) < SCRYPT_R or int(p) < SCRYPT_P
