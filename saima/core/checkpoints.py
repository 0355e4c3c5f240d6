"""Audit checkpoints: a signed copy of the chain head that outsiders keep, and the proof that the
chain still extends it — in the spirit of Certificate Transparency's signed tree heads.

A checkpoint is a small JSON document::

    {"format": "saima-audit-checkpoint/1", "seq": 290, "hash": "…64 hex…",
     "at": "2026-12-02T08:30:00+00:00", "issued_at": "2026-12-02T08:31:12+00:00",
     "signature": {"alg": "Ed25519", "public_key": "…base64…", "value": "…base64…"}}

Why a signature: a checkpoint held by an outsider (a city's organiser, an inspector, a
journalist) is only worth something if the server cannot later deny having issued it, and if
nobody can fabricate one to accuse the server. The Ed25519 signature over the checkpoint's
canonical text gives both. The key is ``AUDIT_SIGNING_KEY`` (a base64 32-byte seed from
``SAIMA_AUDIT_SIGNING_KEY`` or ``SAIMA_AUDIT_SIGNING_KEY_FILE``); without one, a key is derived
from ``SECRET_KEY`` (so every installation signs), which changes when ``SECRET_KEY`` rotates —
set an explicit key in production. The signature proves who issued a checkpoint; the chain
check proves the history did not change since: a rewritten tail, even one rehashed
consistently up to a new head, no longer has the checkpoint's hash at its sequence number.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from saima.core.audit import ChainReport, chain_head, json_safe, verify_chain
from saima.core.models import AuditEvent

FORMAT = "saima-audit-checkpoint/1"
SIGNED_FIELDS = ("format", "seq", "hash", "at", "issued_at")


class CheckpointError(ValueError):
    """A checkpoint file that cannot be read as one (the message says what is wrong)."""


def _signing_key() -> Ed25519PrivateKey:
    configured = str(getattr(settings, "AUDIT_SIGNING_KEY", "") or "")
    if configured:
        try:
            seed = base64.b64decode(configured, validate=True)
        except binascii.Error:
            seed = b""
        if len(seed) != 32:
            raise ImproperlyConfigured("SAIMA_AUDIT_SIGNING_KEY: expected 32 bytes in base64")
    else:
        material = f"saima audit checkpoint signing key v1\0{settings.SECRET_KEY}".encode()
        seed = hashlib.sha256(material).digest()
    return Ed25519PrivateKey.from_private_bytes(seed)


def public_key() -> str:
    """The server's checkpoint public key (raw 32 bytes, base64), published with the head."""
    raw = _signing_key().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def _signed_text(data: dict[str, Any]) -> bytes:
    body = {name: data.get(name) for name in SIGNED_FIELDS}
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def checkpoint_issue() -> dict[str, Any]:
    """A signed checkpoint of the current head."""
    head = chain_head()
    data: dict[str, Any] = {
        "format": FORMAT,
        **head.as_dict(),
        "issued_at": json_safe(timezone.now()),
    }
    signature = _signing_key().sign(_signed_text(data))
    data["signature"] = {
        "alg": "Ed25519",
        "public_key": public_key(),
        "value": base64.b64encode(signature).decode(),
    }
    return data


def checkpoint_parse(text: str, *, source: str = "checkpoint") -> dict[str, Any]:
    """Read a checkpoint's JSON text, refusing anything that is not one, with the reason."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise CheckpointError(f"{source}: not JSON ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise CheckpointError(f"{source}: not a Saima audit checkpoint (format {FORMAT!r})")
    seq, digest = data.get("seq"), data.get("hash")
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        raise CheckpointError(f"{source}: 'seq' must be a whole number ≥ 0, got {seq!r}")
    if not (
        isinstance(digest, str) and len(digest) == 64 and set(digest) <= set("0123456789abcdef")
    ):
        raise CheckpointError(f"{source}: 'hash' must be 64 lowercase hex digits")
    return data


def signature_status(data: dict[str, Any]) -> str:
    """ "valid" (signed by this server's key), "foreign key", "invalid" or "unsigned"."""
    signature = data.get("signature")
    if not isinstance(signature, dict):
        return "unsigned"
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(signature["public_key"]))
        key.verify(base64.b64decode(signature["value"]), _signed_text(data))
    except (KeyError, TypeError, ValueError, InvalidSignature):
        return "invalid"
    return "valid" if signature["public_key"] == public_key() else "foreign key"


@dataclass(frozen=True)
class CheckpointReport:
    ok: bool
    seq: int
    signature: str
    reason: str = ""

    def line(self) -> str:
        signed = f"signature {self.signature}"
        if self.ok:
            return f"OK: the chain extends checkpoint #{self.seq} ({signed})"
        return f"CHECKPOINT #{self.seq} NOT MATCHED: {self.reason} ({signed})"


def checkpoint_verify(data: dict[str, Any], chain: ChainReport | None = None) -> CheckpointReport:
    """Prove the current chain extends the checkpoint: the chain from genesis through the head
    is intact, it reaches the checkpoint's sequence number, and event #seq still has the
    checkpoint's hash (so nothing at or below it was rewritten, even if rehashed)."""
    seq, digest = int(data["seq"]), str(data["hash"])
    signature = signature_status(data)
    chain = chain if chain is not None else verify_chain()

    def refused(reason: str) -> CheckpointReport:
        return CheckpointReport(False, seq, signature, reason)

    if signature == "invalid":
        return refused("its signature does not verify (the checkpoint was altered)")
    if not chain.ok and chain.broken_seq is not None and chain.broken_seq <= seq:
        return refused(f"the chain is broken at event #{chain.broken_seq}, within the checkpoint")
    if seq == 0:
        return CheckpointReport(True, seq, signature)
    event = AuditEvent.objects.filter(seq=seq).only("hash").first()
    if event is None:
        return refused(
            f"event #{seq} no longer exists: the chain now ends at #{chain_head().seq} "
            f"(events at or below #{seq} were removed)"
        )
    if event.hash != digest:
        return refused(
            f"event #{seq} now has hash {event.hash[:16]}… instead of {digest[:16]}…: "
            f"the chain was rewritten at or below #{seq}"
        )
    return CheckpointReport(True, seq, signature)
