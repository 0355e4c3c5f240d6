"""``saima verify``: the audit chain check plus every verifier the apps registered.

Core knows no app, so apps bring their own checks. In ``ready()``::

    from saima.core.verification import register_verifier

    register_verifier("races.results", frozen_results_problems)

where the function takes no argument and returns a list of problems, one sentence each naming
the object (``"结果 #12（第 1 版）: stored outputs do not match digest …"``); an empty list means
all is well. ``verification_run()`` runs the chain check, a checkpoint (if given) and every
verifier, and reports each one's findings; a verifier that raises is reported as a problem, not
swallowed. The command line (``saima verify``) and the audit page both call it.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

from saima.core.audit import ChainHead, ChainReport, chain_head, record_event, verify_chain
from saima.core.checkpoints import CheckpointReport, checkpoint_verify

Verifier = Callable[[], list[str]]
_VERIFIERS: dict[str, Verifier] = {}
_LABELS: dict[str, str | Promise] = {}


def register_verifier(name: str, check: Verifier, label: str | Promise = "") -> None:
    """Add (or replace) the check called ``name``; ``label`` is what the audit page calls it."""
    _VERIFIERS[name] = check
    _LABELS[name] = label or name


def unregister_verifier(name: str) -> None:
    _VERIFIERS.pop(name, None)
    _LABELS.pop(name, None)


def registered_verifiers() -> dict[str, Verifier]:
    return dict(sorted(_VERIFIERS.items()))


@dataclass(frozen=True)
class VerifierFindings:
    name: str
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def label(self) -> str:
        """The check's name in the reader's language (the code name if it registered none)."""
        return str(_LABELS.get(self.name, self.name))


@dataclass(frozen=True)
class VerificationReport:
    chain: ChainReport
    head: ChainHead
    checkpoint: CheckpointReport | None = None
    findings: list[VerifierFindings] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        checkpoint_ok = self.checkpoint is None or self.checkpoint.ok
        return self.chain.ok and checkpoint_ok and all(item.ok for item in self.findings)

    def lines(self) -> list[str]:
        lines = [self.chain.line()]
        if self.checkpoint is not None:
            lines.append(self.checkpoint.line())
        for item in self.findings:
            if item.ok:
                lines.append(f"OK: {item.name}")
            else:
                lines.append(f"PROBLEMS in {item.name}: {len(item.problems)}")
                lines.extend(f"  - {problem}" for problem in item.problems)
        return lines

    def summary(self) -> dict[str, Any]:
        """What the audit event of a verification run records."""
        return {
            "ok": self.ok,
            "chain_ok": self.chain.ok,
            "broken_seq": self.chain.broken_seq,
            "head": self.head.as_dict(),
            "checkpoint_ok": None if self.checkpoint is None else self.checkpoint.ok,
            "problems": {item.name: len(item.problems) for item in self.findings},
        }


def _run(name: str, check: Verifier) -> VerifierFindings:
    try:
        problems = [str(problem) for problem in check()]
    except Exception as exc:  # a failing verifier is a finding, never a silent pass
        last = traceback.extract_tb(exc.__traceback__)[-1:]
        where = f" at {last[0].filename}:{last[0].lineno}" if last else ""
        problems = [f"the verifier failed: {type(exc).__name__}: {exc}{where}"]
    return VerifierFindings(name, problems)


def verification_run(checkpoint: dict[str, Any] | None = None) -> VerificationReport:
    """The chain, the checkpoint (if any) and every registered verifier, read-only."""
    chain = verify_chain()
    return VerificationReport(
        chain=chain,
        head=chain_head(),
        checkpoint=None if checkpoint is None else checkpoint_verify(checkpoint, chain),
        findings=[_run(name, check) for name, check in registered_verifiers().items()],
    )


def verification_run_audited(*, actor: Any) -> VerificationReport:
    """Run the verification for someone on the web, and record that they did and what it found
    (after the check, so the recorded head is the one that was verified)."""
    report = verification_run()
    record_event(actor=actor, action="core.audit.verify", after=report.summary())
    return report
