"""Arena contests on the portal (擂台赛): each released contest's results — the ranking by the
official method with each panel's figure and the other methods beside it, a bar chart, the
pledges (军令状) made on stage and, where the series held a released contest before, what was
delivered against what was pledged there — and their open data.

Only released contests appear: every query here starts from what the arena app shows to the
public (``selectors.contests_visible`` and ``selectors.result_table`` asked for an anonymous
visitor), so a draft, a running contest or a revealed but unreleased one answers 404 to
everyone, its organisers included (they see it in the app). Judges' own scores never appear:
``permissions.may_view_judge_scores`` refuses them to the public, so the selector leaves them out.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from saima.arena import selectors
from saima.arena.models import Contest, Method, PledgeItem
from saima.arena.permissions import is_public
from saima.core.audit import ChainHead
from saima.core.models import AuditEvent
from saima.portal.cache import public_page
from saima.portal.opendata import (
    check_format,
    document_response,
    in_default_language,
    table_data_response,
)
from saima.portal.rendering import render_portal
from saima.portal.sections.base import ArchiveEntry, Dataset, Publication, Section

SCHEMA_RESULTS = "saima.arena.results/1"
FRONT_CONTESTS = 4  # released contests on the front page
WINNERS = 3  # places shown on the front page

# (JSON key, CSV header) of a results row before the panels' columns, in column order.
RESULT_COLUMNS = (
    ("rank", "名次"),
    ("unit_code", "单位代码"),
    ("unit_name", "单位"),
    ("person", "陈述人"),
    ("topic", "陈述主题"),
    ("score", "得分（正式方法）"),
    ("mean", "平均分"),
    ("trimmed", "去掉最高分和最低分"),
    ("standardised", "标准化分"),
)
METHODS = tuple(m.value for m in Method)

# ---------------------------------------------------------------- reads


def public_contests() -> QuerySet[Contest]:
    """Released contests, newest release first: what the arena app lists to a visitor."""
    return (
        selectors.contests_visible(AnonymousUser())
        .filter(released_at__isnull=False)
        .order_by("-released_at", "-pk")
    )


def public_contest(pk: int) -> Contest:
    contest = get_object_or_404(Contest.objects.select_related("owner", "series"), pk=pk)
    if not is_public(contest):
        raise Http404
    return contest


def public_table(contest: Contest) -> selectors.ResultTable:
    """The frozen result as the arena app shows it to the public (no judge's figures)."""
    table = selectors.result_table(contest, AnonymousUser())
    if table is None or table.partial:
        raise Http404
    return table


def contest_url(contest: Contest) -> str:
    return reverse("portal:arena:contest", args=[contest.pk])


def data_url(contest: Contest, fmt: str) -> str:
    return reverse("data:arena:results", args=[contest.pk, fmt])


def weighted_panels(table: selectors.ResultTable) -> list[dict[str, Any]]:
    """The panels worth a column: only where more than one panel's figures are weighted."""
    return table.panels if len(table.panels) > 1 else []


def result_rows(table: selectors.ResultTable) -> list[dict[str, Any]]:
    """The ranking as plain rows, numbers as numbers (best first)."""
    rows = []
    for row in table.rows:
        contestant = row["object"]
        rows.append(
            {
                "rank": row["rank"],
                "unit_code": contestant.unit.code,
                "unit_name": contestant.unit.name,
                "person": contestant.person.name if contestant.person else "",
                "topic": contestant.topic,
                "score": row["score"],
                **{m: row.get(f"{m}:score") for m in METHODS},
                "method_ranks": {m: row.get(f"{m}:rank") for m in METHODS},
                "panels": {p["code"]: row.get(f"panel:{p['code']}") for p in table.panels},
                "criteria": {k["code"]: row.get(f"criterion:{k['code']}") for k in table.criteria},
            }
        )
    return rows


def winners(table: selectors.ResultTable) -> list[dict[str, Any]]:
    return [r for r in result_rows(table) if r["rank"] <= WINNERS]


def release_head(contest: Contest) -> ChainHead | None:
    """The audit chain's head right after the contest was (last) released."""
    event = (
        AuditEvent.objects.filter(
            action="arena.contest.release", object_type="arena.contest", object_id=str(contest.pk)
        )
        .order_by("-seq")
        .only("seq", "hash", "at")
        .first()
    )
    return ChainHead(event.seq, event.hash, event.at) if event else None


def pledge_line(item: PledgeItem) -> dict[str, Any]:
    share = selectors.pledge_share(item)
    return {
        "item": item,
        "share": share,
        "percent": round(share * 100) if share is not None else None,
        "bar": min(100, max(0, round(share * 100))) if share is not None else 0,
        "kept": item.delivered is not None and bool(item.target) and item.delivered >= item.target,
    }


def pledges(contest: Contest) -> list[dict[str, Any]]:
    """The pledges made at this contest, contestant by contestant, in order of appearance."""
    out = []
    for contestant in contest.contestants.select_related("unit").prefetch_related("pledges"):
        items = [pledge_line(item) for item in contestant.pledges.all()]
        if items:
            out.append({"contestant": contestant, "items": items})
    return out


def follow_up(contest: Contest) -> tuple[Contest | None, list[dict[str, Any]]]:
    """The previous contest of the series and the pledges its contestants made there, when
    that contest is public too (pledges of an unreleased contest were never published)."""
    previous, follow = selectors.pledge_follow_up(contest)
    if previous is None or not is_public(previous):
        return None, []
    return previous, [
        {"contestant": f.contestant, "items": [pledge_line(item) for item in f.items]}
        for f in follow
    ]


def ranks_differ(rows: list[dict[str, Any]], official: str) -> bool:
    """Would another method have ranked anyone differently?"""
    return any(
        rank != row["method_ranks"][official]
        for row in rows
        for rank in row["method_ranks"].values()
        if rank is not None
    )


def decimal_number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


# ---------------------------------------------------------------- the section's providers


def front() -> dict[str, Any] | None:
    contests = list(public_contests()[:FRONT_CONTESTS])
    if not contests:
        return None
    cards = []
    for contest in contests:
        table = selectors.result_table(contest, AnonymousUser())
        if table is not None:
            cards.append(
                {"contest": contest, "winners": winners(table), "url": contest_url(contest)}
            )
    return {"contests": cards} if cards else None


def archive() -> list[ArchiveEntry]:
    return [
        ArchiveEntry(
            year=c.date.year,
            order=(c.date.year, c.date.month, c.date.day, c.pk),
            period_label=c.date.isoformat(),
            title=c.title,
            url=contest_url(c),
            published_at=c.released_at,
            note=_("擂台赛") + (f" · {c.series.name}" if c.series else ""),
        )
        for c in public_contests()
    ]


def datasets() -> list[Dataset]:
    out = []
    for contest in public_contests():
        frozen = selectors.current_result(contest)
        out.append(
            Dataset(
                title=_("%(contest)s · 擂台赛结果") % {"contest": contest.title},
                period_label=contest.date.isoformat(),
                published_at=contest.released_at,
                digest=frozen.digest if frozen else "",
                page_url=contest_url(contest),
                csv_url=data_url(contest, "csv"),
                json_url=data_url(contest, "json"),
            )
        )
    return out


def publications(limit: int) -> list[Publication]:
    out = []
    for contest in public_contests()[:limit]:
        table = selectors.result_table(contest, AnonymousUser())
        if table is None or contest.released_at is None:
            continue
        places = "；".join(
            _("第 %(rank)s 名 %(unit)s（%(score).2f）")
            % {"rank": r["rank"], "unit": r["unit_name"], "score": r["score"]}
            for r in winners(table)
        )
        summary = _("擂台赛结果公布 — %(places)s。SHA-256 %(digest)s") % {
            "places": places or "—",
            "digest": table.result.digest,
        }
        title = f"{contest.title} · {contest.date.isoformat()}"
        out.append(
            Publication(
                f"arena.contest.{contest.pk}",
                title,
                contest_url(contest),
                contest.released_at,
                summary,
            )
        )
    return out


# ---------------------------------------------------------------- pages


@public_page()
def contest_page(request: HttpRequest, pk: int) -> HttpResponse:
    contest = public_contest(pk)
    table = public_table(contest)
    rows = result_rows(table)
    previous, follow = follow_up(contest)
    context = {
        "contest": contest,
        "table": table,
        "rows": rows,
        "panels": weighted_panels(table),
        "all_panels": table.panels,
        "criteria": table.criteria,
        "methods": [(m, Method(m).label) for m in METHODS],
        "official": table.official,
        "official_label": Method(table.official).label,
        "ranks_differ": ranks_differ(rows, table.official),
        "absent": table.result.inputs.get("meta", {}).get("absent", []),
        "pledges": pledges(contest),
        "previous": previous,
        "previous_url": contest_url(previous) if previous else "",
        "follow": follow,
        "release_head": release_head(contest),
        "csv_url": data_url(contest, "csv"),
        "json_url": data_url(contest, "json"),
    }
    return render_portal(request, "portal/arena/contest.html", context)


# ---------------------------------------------------------------- open data


def panel_columns(table: selectors.ResultTable) -> list[tuple[str, str]]:
    return [
        (f"panel:{p['code']}", f"{p['name']}（{_('权重')} {float(p['weight']):g}）")
        for p in table.panels
    ]


@in_default_language
@public_page()
def results_data(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    check_format(fmt)
    contest = public_contest(pk)
    table = public_table(contest)
    rows = result_rows(table)
    name = f"arena-{contest.pk}-{contest.date.isoformat()}-v{table.result.version}"
    if fmt == "csv":
        columns = [*RESULT_COLUMNS, *panel_columns(table)]
        flat = [
            {**row, **{f"panel:{code}": v for code, v in row["panels"].items()}} for row in rows
        ]
        return table_data_response(contest.title, columns, flat, name)
    frozen = table.result
    document = {
        "schema": SCHEMA_RESULTS,
        "contest": {
            "id": contest.pk,
            "title": contest.title,
            "date": contest.date.isoformat(),
            "venue": contest.venue,
            "level": contest.level,
            "owner": {"code": contest.owner.code, "name": contest.owner.name},
            "series": contest.series.name if contest.series else None,
            "released_at": contest.released_at.isoformat() if contest.released_at else None,
        },
        "result": {
            "version": frozen.version,
            "digest": frozen.digest,
            "engine_version": frozen.engine_version,
            "frozen_at": frozen.created_at.isoformat(),
            "official_method": frozen.method,
        },
        "panels": [
            {
                "code": p["code"],
                "name": p["name"],
                "weight": float(p["weight"]),
                "kendall_w": p.get("kendall_w"),
            }
            for p in table.panels
        ],
        "criteria": [
            {
                "code": k["code"],
                "name": k["name"],
                "maximum": float(k["maximum"]),
                "weight": float(k["weight"]),
            }
            for k in table.criteria
        ],
        "absent": table.result.inputs.get("meta", {}).get("absent", []),
        "columns": [key for key, _header in RESULT_COLUMNS]
        + ["method_ranks", "panels", "criteria"],
        "rows": rows,
        "pledges": [
            {
                "unit_code": entry["contestant"].unit.code,
                "item": line["item"].item,
                "target": decimal_number(line["item"].target),
                "measure": line["item"].measure,
                "due": line["item"].due.isoformat() if line["item"].due else None,
                "delivered": decimal_number(line["item"].delivered),
            }
            for entry in pledges(contest)
            for line in entry["items"]
        ],
    }
    return document_response(document, name)


SECTION = Section(
    code="arena",
    title=gettext_lazy("擂台赛"),
    front_template="portal/arena/front.html",
    front=front,
    archive=archive,
    datasets=datasets,
    publications=publications,
    pages=[path("<int:pk>/", contest_page, name="contest")],
    data=[path("<int:pk>/results.<str:fmt>", results_data, name="results")],
)
