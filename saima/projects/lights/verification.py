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
from typing import Any, cast

import numpy as np

from saima.core.models import AuditEvent
from saima.engine.progress import compute_lights
from saima.engine.progress import rules_digest as engine_rules_digest
from saima.projects.lights.services import LIGHT_COLUMNS, light_rows, outputs_digest, parse_rules
from saima.projects.models import LightRun, MonthlyLight
from saima.projects.progress import arrays_digest, months_from_arrays, unpack

LIMIT = 5  # mismatching projects named per run


class _Ids:
    """What ``light_rows`` reads of the loaded months: the project ids (here the stored ones)."""

    def __init__(self, project_ids: np.ndarray) -> None:
        self.project_ids = project_ids


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
    yield from _row_problems(run, ids, lights)


# Every stored column the pages show (the lag, shares and SPI beside the light), as
# ``light_rows`` writes them: an edited figure is named like an edited light.
_FIGURES = LIGHT_COLUMNS[3:-1]


def _row_problems(run: LightRun, ids: np.ndarray, lights: Any) -> Iterator[str]:
    stored = {
        row[0]: row[1:]
        for row in MonthlyLight.objects.filter(run=run).values_list("project_id", *_FIGURES)
    }
    rows = light_rows(run.project_list, cast(Any, _Ids(ids)), lights, run.month, run)
    first = LIGHT_COLUMNS.index(_FIGURES[0])
    expected = {row[1]: row[first : first + len(_FIGURES)] for row in rows}
    missing = sorted(set(expected) - set(stored))
    extra = sorted(set(stored) - set(expected))
    changed = sorted(pid for pid in set(expected) & set(stored) if expected[pid] != stored[pid])
    if missing:
        yield f"{len(missing)} lights missing (project ids {missing[:LIMIT]})"
    if extra:
        yield f"{len(extra)} lights not produced by the run (project ids {extra[:LIMIT]})"
    for pid in changed[:LIMIT]:
        if stored[pid][:2] != expected[pid][:2]:
            yield (
                f"project #{pid}: stored light {stored[pid][0]} (reasons {stored[pid][1]}) "
                f"differs from the re-run {expected[pid][0]} (reasons {expected[pid][1]})"
            )
            continue
        fields = [f for f, a, b in zip(_FIGURES, stored[pid], expected[pid], strict=True) if a != b]
        yield (
            f"project #{pid}: stored {', '.join(fields)} "
            f"{[stored[pid][_FIGURES.index(f)] for f in fields]} differ from the re-run "
            f"{[expected[pid][_FIGURES.index(f)] for f in fields]}"
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
