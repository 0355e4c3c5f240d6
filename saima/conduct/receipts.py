"""Receipt codes (回执码) for clue submitters: shown once, stored only as a slow hash.

A code is 20 characters of Crockford's base32, shown in five groups (``K3QZ-8W1M-…``):

- the first group is the **locator**, 20 random bits, not secret: it finds the clue's row with
  one indexed lookup (no hashing against every row, as SecureDrop's and GlobaLeaks' receipts
  also avoid) and names the receipt for throttling guesses;
- the other four groups are the **secret**, 80 random bits, kept only as an Argon2id hash
  (GlobaLeaks' choice) with a random salt; the parameters travel inside the stored hash, so
  they can be raised later and old receipts still check.

Crockford's alphabet has no I, L, O or U; reading a code back, I and L count as 1 and O as 0,
case, spaces and hyphens are ignored, so a code copied by hand still works.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LOCATOR_LENGTH = 4
SECRET_LENGTH = 16  # 16 × 5 bits = 80 bits
_READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V"})

# Argon2id, 19 MiB and two passes: OWASP's minimum for interactive use (about 25 ms here);
# docs/conduct.md weighs it against the 80-bit secret and the benchmark's receipt_p99_ms.
HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1, type=Type.ID)


@dataclass(frozen=True)
class Receipt:
    locator: str
    secret: str

    @property
    def code(self) -> str:
        whole = self.locator + self.secret
        return "-".join(whole[i : i + 4] for i in range(0, len(whole), 4))


def new_receipt() -> Receipt:
    pick = secrets.choice
    return Receipt(
        locator="".join(pick(ALPHABET) for _ in range(LOCATOR_LENGTH)),
        secret="".join(pick(ALPHABET) for _ in range(SECRET_LENGTH)),
    )


def parse(text: str) -> Receipt | None:
    """The receipt typed in ``text``, or None when it cannot be one (wrong length or letters)."""
    cleaned = "".join(ch for ch in text.upper() if ch not in " -\t\r\n").translate(_READ_AS)
    if len(cleaned) != LOCATOR_LENGTH + SECRET_LENGTH or any(c not in ALPHABET for c in cleaned):
        return None
    return Receipt(cleaned[:LOCATOR_LENGTH], cleaned[LOCATOR_LENGTH:])


def hash_secret(secret: str) -> str:
    return HASHER.hash(secret)


def secret_matches(stored_hash: str, secret: str) -> bool:
    try:
        return HASHER.verify(stored_hash, secret)
    except (VerificationError, InvalidHashError):
        return False


def burn_time(secret: str) -> None:
    """Hash once for nothing: an unknown locator costs the same time as a wrong secret, so the
    answer's timing does not tell which locators exist."""
    secret_matches(_DUMMY_HASH, secret)


_DUMMY_HASH = HASHER.hash(secrets.token_hex(10))
