"""Users of a shared workstation and their passwords: who may sign (a radiologist), who may restore a backup
(an administrator or a radiologist), who only records.

A password is stored as `scrypt$N$r$p$salt$hash` (hex): a random 16-byte salt and `hashlib.scrypt` with the
parameters written beside it, so they can be raised later without breaking stored passwords.
"""

from __future__ import annotations

from dataclasses import dataclass

RADIOLOGIST, NURSE, ADMIN = "radiologist", "nurse", "admin"
ROLES = (RADIOLOGIST, NURSE, ADMIN)
SIGNING_ROLES = (RADIOLOGIST,)
# Restoring a backup throws away everything recorded since it: for those who answer for the whole logbook.
RESTORING_ROLES = (ADMIN, RADIOLOGIST)

# 16 MiB of memory per check (128 * r * N bytes), a few tens of milliseconds: slow for guessing, fine for signing.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MIN_PASSWORD_LENGTH = 8


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


def may_restore(role: str | None) -> bool:
    """Whether a user of this role may replace the logbook with a backup (an administrator or a radiologist)."""
    return role in RESTORING_ROLES


def hash_password(password: str) -> str:
    import hashlib  # loaded on first use, not at start-up (tests/ui/test_startup_imports.py)
    import secrets

    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    import hashlib  # loaded on first use, not at start-up (tests/ui/test_startup_imports.py)
    import hmac

    expected = bytes.fromhex(digest)
    actual = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                            maxmem=256 * 1024 * 1024, dklen=len(expected))
    return hmac.compare_digest(actual, expected)
