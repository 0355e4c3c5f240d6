"""The frozen-result verifier of ``saima verify`` (冻结结果核验): every frozen result checked
three ways, so a direct database edit of a published number is named, not shown.

1. **Recorded**: the result's digest and engine version are those its compute event recorded in
   the audit chain (which ``saima verify`` checks first), so the digest itself cannot be swapped.
2. **Stored outputs against the digest**: the outputs JSON re-hashes to the digest
   (``outputs_digest``; only for results of the installed engine version, whose digest form it
   knows), and every ``ResultRow`` the boards read (score, rank, selected, boundary tie, rank
   interval, P(selected), section scores, contributions, gaps) equals its line of the outputs.
3. **Outputs against a re-run**: the engine re-run on the frozen inputs, scheme, draws and seed
   gives the same digest (``result_matches_inputs``).

``frozen_results_problems`` returns one sentence per problem, naming the race, period, version,
result id and (for a row) the unit; the races app registers it with core's verifier registry.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from saima.core.models import AuditEvent
from saima.engine import ENGINE_VERSION, outputs_digest
from saima.engine.digest import canonical
from saima.races.models import Result, ResultRow
from saima.races.results.services import frozen_dataset, inputs_digest, result_matches_inputs
from saima.races.schemes.selectors import parse_scheme

ROW_FIELDS = ("score", "rank", "selected", "rank_p05", "rank_p95", "p_selected")
DETAIL_PREFIXES = {
    "sections": "section:",
    "contrib": "contrib:",
    "gaps": "gap:",
    "gap_kinds": "gap_kind:",
}


def _label(result: Result) -> str:
    period = result.period
    return f"{period.race.code} {period.short_label} v{result.version} (result #{result.pk})"


def _recorded_problems(result: Result, recorded: dict[str, Any] | None) -> Iterator[str]:
    if recorded is None:
        yield "no compute event in the audit log"
        return
    if recorded.get("digest") != result.digest:
        yield f"stored digest {result.digest[:12]}… differs from the audited {str(recorded.get('digest'))[:12]}…"
    if recorded.get("engine") not in (None, result.engine_version):
        yield f"stored engine version {result.engine_version} differs from the audited {recorded.get('engine')}"
    yield from _input_problems(result, recorded.get("inputs_digest"))


def _input_problems(result: Result, audited: str | None) -> Iterator[str]:
    """The frozen inputs (unit names, the left-out list, values, scheme, seed) against the digest
    the compute event recorded; events from before it was recorded have none to compare."""
    if audited is None:
        return
    stored = inputs_digest(
        scheme_toml=result.scheme_toml,
        engine_version=result.engine_version,
        draws=result.robustness_draws,
        seed=result.seed,
        inputs=result.inputs,
    )
    if stored != audited:
        yield "the frozen inputs (values, unit names or the left-out list) differ from the audited ones"
    if result.excluded != result.inputs.get("excluded", result.excluded):
        yield "the list of units left out differs from the frozen inputs"


def _stored_line(row: ResultRow) -> dict[str, Any]:
    line: dict[str, Any] = {name: getattr(row, name) for name in ROW_FIELDS}
    line["tie_at_boundary"] = row.tie_at_boundary
    line["group"] = row.group_code
    for part, prefix in DETAIL_PREFIXES.items():
        for code, value in (row.detail.get(part) or {}).items():
            line[prefix + code] = value
    line["rank_median"] = row.detail.get("rank_median")
    return line


def _frozen_line(out: dict[str, Any], tie: bool) -> dict[str, Any]:
    line = {name: out.get(name) for name in ROW_FIELDS}
    line["tie_at_boundary"] = tie
    line["group"] = out.get("group")
    line["rank_median"] = out.get("rank_median")
    for prefix in DETAIL_PREFIXES.values():
        line.update({k: v for k, v in out.items() if k.startswith(prefix)})
    return line


def _row_problems(result: Result, rows: list[ResultRow]) -> Iterator[str]:
    frozen = result.outputs.get("rows", [])
    ties = result.outputs.get("tie_at_boundary", [False] * len(frozen))
    by_unit = {out.get("unit"): (out, bool(tie)) for out, tie in zip(frozen, ties, strict=False)}
    shown = {row.unit.code for row in rows}
    inputs = result.inputs or {}
    names = dict(zip(inputs.get("units", []), inputs.get("names", []), strict=False))
    for code in sorted(set(by_unit) - shown):
        yield f"unit {code} is in the frozen outputs but has no board row"
    for row in rows:
        entry = by_unit.get(row.unit.code)
        if entry is None:
            yield f"board row of {row.unit.name} ({row.unit.code}) is not in the frozen outputs"
            continue
        if row.unit_name and row.unit_name != names.get(row.unit.code, row.unit_name):
            yield (
                f"board row of {row.unit.code} names it {row.unit_name!r}; "
                f"the frozen inputs say {names[row.unit.code]!r}"
            )
        stored, expected = _stored_line(row), _frozen_line(*entry)
        differing = sorted(
            k for k in expected.keys() | stored.keys() if _differs(stored, expected, k)
        )
        if differing:
            shows = ", ".join(f"{k} {stored.get(k)!r}" for k in differing[:4])
            says = ", ".join(f"{k} {expected.get(k)!r}" for k in differing[:4])
            yield f"board row of {row.unit.name} ({row.unit.code}) shows {shows}; the frozen outputs say {says}"


def _differs(stored: dict[str, Any], expected: dict[str, Any], key: str) -> bool:
    return bool(canonical(stored.get(key)) != canonical(expected.get(key)))


def result_problems(result: Result, recorded: dict[str, Any] | None) -> list[str]:
    """Every problem of one frozen result (empty when it holds)."""
    problems = list(_recorded_problems(result, recorded))
    rows = list(result.rows.select_related("unit"))
    problems += _row_problems(result, rows)
    if result.engine_version == ENGINE_VERSION:
        scheme = parse_scheme(result.scheme_toml)
        stored = outputs_digest(
            scheme,
            frozen_dataset(result, scheme),
            result.outputs,
            draws=result.robustness_draws,
            seed=result.seed,
        )
        if stored != result.digest:
            problems.append("the stored outputs do not hash to the digest")
        if not result_matches_inputs(result):
            problems.append("re-running the engine on the frozen inputs gives another digest")
    return [f"{_label(result)}: {problem}" for problem in problems]


def _recorded_computes() -> dict[str, dict[str, Any]]:
    events = AuditEvent.objects.filter(action="races.result.compute", object_type="races.result")
    return {e.object_id: e.after or {} for e in events.only("object_id", "after")}


def frozen_results_problems() -> list[str]:
    """The verifier registered as ``races.results``: every frozen result's problems."""
    recorded = _recorded_computes()
    problems: list[str] = []
    for result in Result.objects.select_related("period__race").order_by("pk").iterator():
        problems += result_problems(result, recorded.get(str(result.pk)))
    return problems
