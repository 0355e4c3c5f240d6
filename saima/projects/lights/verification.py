"""The lights verifier of ``saima verify`` (月亮灯核验): every current light run checked against
what it recorded, so an edited light, input or rule is named, not shown.

For each current ``LightRun`` of every list:

1. **Recorded**: the run's rules digest, inputs digest and outputs digest are those its compute
   event recorded in the audit chain (which ``saima verify`` checks first);
2. **Rules**: the stored rule version's TOML still hashes to its digest;
3. **Inputs**: the stored (compressed) inputs still hash to the run's inputs digest;
4. **Re-run**: the engine run again on the stored inputs with the stored rules gives, project by
   project, the light and reasons stored in ``MonthlyLight`` for that month, and the same
   outputs digest.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from typing import Any

import numpy as np

from saima.core.models import AuditEvent
from saima.engine.progress import compute_lights
from saima.engine.progress import rules_digest as engine_rules_digest
from saima.projects.lights.services import outputs_digest, parse_rules
from saima.projects.models import LightRun, MonthlyLight
from saima.projects.progress import arrays_digest, months_from_arrays, unpack

LIMIT = 5  # mismatching projects named per run


def _label(run: LightRun) -> str:
    plist = run.project_list
    return f"{plist.code} {plist.year}-{run.month:02d} (light run #{run.pk})"


def _recorded(runs: list[LightRun]) -> dict[str, dict[str, Any]]:
    events = AuditEvent.objects.filter(
        action="projects.lights.compute",
        object_type="projects.lightrun",
        object_id__in=[str(r.pk) for r in runs],
    ).values_list("object_id", "after")
    return {object_id: after or {} for object_id, after in events}


def _run_problems(run: LightRun, recorded: dict[str, Any] | None) -> Iterator[str]:
    version = run.rule_version
    if recorded is None:
        yield "no compute event in the audit log"
        return
    for key, stored in (
        ("rules_digest", version.digest),
        ("inputs_digest", run.inputs_digest),
        ("outputs_digest", run.outputs_digest),
    ):
        if recorded.get(key) != stored:
            yield f"stored {key} {stored[:12]}… differs from the audited {str(recorded.get(key))[:12]}…"
    rules = parse_rules(version.rules_toml)
    if engine_rules_digest(rules) != version.digest:
        yield f"rule version {version.version}: its TOML does not hash to its digest"
    try:
        arrays = unpack(bytes(run.inputs))
    except (ValueError, OSError, KeyError, zipfile.BadZipFile, zlib.error) as exc:
        yield f"the stored inputs cannot be read ({type(exc).__name__})"
        return
    if arrays_digest(arrays) != run.inputs_digest:
        yield "the stored inputs do not hash to the run's inputs digest"
        return
    lights = compute_lights(months_from_arrays(arrays), rules.lights)
    ids = arrays["project_ids"]
    if outputs_digest(ids, lights, run.month) != run.outputs_digest:
        yield "the engine re-run on the stored inputs gives another outputs digest"
    yield from _row_problems(
        run, ids, lights.light[:, run.month - 1], lights.reasons[:, run.month - 1]
    )


def _row_problems(
    run: LightRun, ids: np.ndarray, light: np.ndarray, reasons: np.ndarray
) -> Iterator[str]:
    stored = dict(
        (pid, (colour, bits))
        for pid, colour, bits in MonthlyLight.objects.filter(run=run).values_list(
            "project_id", "light", "reasons"
        )
    )
    expected = dict(
        zip(ids.tolist(), zip(light.tolist(), reasons.tolist(), strict=True), strict=True)
    )
    missing = sorted(set(expected) - set(stored))
    extra = sorted(set(stored) - set(expected))
    changed = sorted(pid for pid in set(expected) & set(stored) if expected[pid] != stored[pid])
    if missing:
        yield f"{len(missing)} lights missing (project ids {missing[:LIMIT]})"
    if extra:
        yield f"{len(extra)} lights not produced by the run (project ids {extra[:LIMIT]})"
    for pid in changed[:LIMIT]:
        yield (
            f"project #{pid}: stored light {stored[pid][0]} (reasons {stored[pid][1]}) "
            f"differs from the re-run {expected[pid][0]} (reasons {expected[pid][1]})"
        )
    if len(changed) > LIMIT:
        yield f"… and {len(changed) - LIMIT} more changed lights"


def stored_lights_problems() -> list[str]:
    """Every problem of every current light run, one sentence each naming the run."""
    runs = list(
        LightRun.objects.filter(is_current=True)
        .select_related("project_list", "rule_version")
        .order_by("project_list_id", "month")
    )
    recorded = _recorded(runs)
    problems = []
    for run in runs:
        problems += [f"{_label(run)}: {p}" for p in _run_problems(run, recorded.get(str(run.pk)))]
    orphans = MonthlyLight.objects.exclude(run__is_current=True).count()
    if orphans:
        problems.append(f"{orphans} lights belong to no current run")
    return problems
