"""Key projects on the portal (重点项目): each published list's light map by locality (月亮灯),
a locality's month × project grid, the quarters' red-flag and snail lists (红旗项目、蜗牛项目),
and their open data.

Only published months of published lists and published quarters appear (``projects_reads``);
anything else answers 404 to everyone, the list's own managers included (they see their drafts
in the app, at ``/projects/<list>/progress/``).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from saima.portal.cache import public_page
from saima.portal.opendata import (
    check_format,
    document_response,
    in_default_language,
    table_data_response,
)
from saima.portal.rendering import render_portal
from saima.portal.sections import projects_reads as reads
from saima.portal.sections.base import ArchiveEntry, Dataset, Publication, Section
from saima.projects.lights.selectors import LABELS, MARKS
from saima.projects.models import LightRun, ProjectList, QuarterRating, RatingKind

SCHEMA_LIGHTS = "saima.projects.lights/1"
SCHEMA_RATINGS = "saima.projects.ratings/1"
FRONT_LISTS = 3  # the front page shows at most this many lists (the newest year's)
FRONT_ENTRIES = 10  # and of each kind of the quarter's list, the first this many

LIGHT_COLUMNS = (
    ("project_code", "项目代码"),
    ("project_name", "项目名称"),
    ("locality_code", "所在地代码"),
    ("locality_name", "所在地"),
    ("light", "亮灯"),
    ("lag", "滞后（百分点）"),
    ("spi", "进度绩效指数SPI"),
    ("rule_version", "规则版本"),
)
RATING_COLUMNS = (
    ("kind", "类别"),
    ("project_code", "项目代码"),
    ("project_name", "项目名称"),
    ("locality_code", "所在地代码"),
    ("locality_name", "所在地"),
    ("rank", "名次"),
    ("composite", "综合得分"),
    ("reason", "依据"),
)
KIND_WORDS = {RatingKind.RED_FLAG.value: "红旗项目", RatingKind.SNAIL.value: "蜗牛项目"}

# ---------------------------------------------------------------- addresses


def list_url(plist: ProjectList) -> str:
    return reverse("portal:projects:list", args=[plist.code])


def month_url(run: LightRun) -> str:
    return reverse("portal:projects:month", args=[run.project_list.code, run.month])


def rating_url(rating: QuarterRating) -> str:
    return reverse("portal:projects:rating", args=[rating.project_list.code, rating.quarter])


def lights_data_url(run: LightRun, fmt: str) -> str:
    return reverse("data:projects:lights", args=[run.project_list.code, run.month, fmt])


def rating_data_url(rating: QuarterRating, fmt: str) -> str:
    return reverse("data:projects:rating", args=[rating.project_list.code, rating.quarter, fmt])


def lights_title(plist: ProjectList) -> str:
    return _("%(list)s · 月亮灯") % {"list": plist.name}


def rating_title(plist: ProjectList) -> str:
    return _("%(list)s · 红旗项目与蜗牛项目") % {"list": plist.name}


# ---------------------------------------------------------------- the section's providers


def front() -> dict[str, Any] | None:
    runs = list(reads.published_runs().order_by("-project_list__year", "-month", "pk")[:200])
    if not runs:
        return None
    newest_year = runs[0].project_list.year
    latest: dict[int, LightRun] = {}
    for run in runs:
        if run.project_list.year == newest_year:
            latest.setdefault(run.project_list_id, run)
    chosen = list(latest.values())[:FRONT_LISTS]
    ratings: dict[int, QuarterRating] = {}
    for rating in reads.published_quarter_ratings().filter(
        project_list_id__in=[r.project_list_id for r in chosen]
    ):
        if rating.quarter > getattr(ratings.get(rating.project_list_id), "quarter", 0):
            ratings[rating.project_list_id] = rating
    entries = reads.entries_by_rating(list(ratings.values()))
    lists = []
    for run in chosen:
        latest_rating = ratings.get(run.project_list_id)
        lists.append(
            {
                "plist": run.project_list,
                "run": run,
                "month_label": reads.month_label(run.project_list, run.month),
                "map": reads.light_map(run.project_list, run.month),
                "rating": latest_rating,
                "red_flags": entries[latest_rating.pk][RatingKind.RED_FLAG]
                if latest_rating
                else [],
                "snails": entries[latest_rating.pk][RatingKind.SNAIL] if latest_rating else [],
                "shown": FRONT_ENTRIES,
            }
        )
    return {"lists": lists, "legend": legend()}


def legend() -> list[dict[str, str]]:
    colours = ("green", "yellow", "red", "grey")
    words = (_("按计划"), _("滞后或节点逾期"), _("严重滞后"), _("未报送"))
    return [
        {"colour": c, "mark": m, "label": str(label), "meaning": str(w)}
        for c, m, label, w in zip(colours, MARKS, LABELS, words, strict=True)
    ]


def archive() -> list[ArchiveEntry]:
    corrected = reads.corrected_months()
    entries = [
        ArchiveEntry(
            year=run.project_list.year,
            order=(run.project_list.year, run.month, 0, run.pk),
            period_label=reads.month_label(run.project_list, run.month),
            title=lights_title(run.project_list),
            url=month_url(run),
            published_at=run.published_at,
            note=_("已更正") if (run.project_list_id, run.month) in corrected else "",
        )
        for run in reads.published_runs()
    ]
    entries += [
        ArchiveEntry(
            year=rating.project_list.year,
            order=(rating.project_list.year, rating.quarter * 3, 1, rating.pk),
            period_label=rating.label,
            title=rating_title(rating.project_list),
            url=rating_url(rating),
            published_at=rating.published_at,
        )
        for rating in reads.published_quarter_ratings()
    ]
    return entries


def datasets() -> list[Dataset]:
    runs = reads.published_runs().order_by("-project_list__year", "project_list__code", "-month")
    out = [
        Dataset(
            title=lights_title(run.project_list),
            period_label=reads.month_label(run.project_list, run.month),
            published_at=run.published_at,
            digest=run.outputs_digest,
            page_url=month_url(run),
            csv_url=lights_data_url(run, "csv"),
            json_url=lights_data_url(run, "json"),
        )
        for run in runs
    ]
    ratings = reads.published_quarter_ratings().order_by(
        "-project_list__year", "project_list__code", "-quarter"
    )
    out += [
        Dataset(
            title=rating_title(rating.project_list),
            period_label=rating.label,
            published_at=rating.published_at,
            digest="",
            page_url=rating_url(rating),
            csv_url=rating_data_url(rating, "csv"),
            json_url=rating_data_url(rating, "json"),
        )
        for rating in ratings
    ]
    return out


def light_publications(limit: int) -> list[Publication]:
    runs = list(reads.ever_published_runs().order_by("-published_at", "-pk")[:limit])
    counts = reads.month_counts([r.pk for r in runs])
    out = []
    for run in runs:
        assert run.published_at is not None
        title = f"{run.project_list.name} · {reads.month_label(run.project_list, run.month)}"
        title += " · " + (_("月亮灯已更正") if run.reason else _("月亮灯已发布"))
        words = counts.get(run.pk)
        summary = (
            _("绿灯 %(green)s、黄灯 %(yellow)s、红灯 %(red)s、灰灯（未报送）%(grey)s。") % words
            if words
            else _("本月亮灯已被更正，见现行版本。")
        )
        if run.reason:
            summary += _("更正理由：%(reason)s。") % {"reason": run.reason}
        summary += f"SHA-256 {run.outputs_digest}"
        key = f"projects.lights.{run.pk}"
        out.append(Publication(key, title, month_url(run), run.published_at, summary))
    return out


def rating_publications(limit: int) -> list[Publication]:
    ratings = list(reads.published_quarter_ratings().order_by("-published_at", "-pk")[:limit])
    entries = reads.entries_by_rating(ratings)
    out = []
    for rating in ratings:
        assert rating.published_at is not None
        kinds = entries[rating.pk]
        summary = _("红旗项目：%(red)s；蜗牛项目：%(snails)s") % {
            "red": "、".join(e.project.name for e in kinds[RatingKind.RED_FLAG]) or "—",
            "snails": "、".join(e.project.name for e in kinds[RatingKind.SNAIL]) or "—",
        }
        title = f"{rating.project_list.name} · {rating.label} · " + _("红旗项目与蜗牛项目已发布")
        key = f"projects.rating.{rating.pk}"
        out.append(Publication(key, title, rating_url(rating), rating.published_at, summary))
    return out


def publications(limit: int) -> list[Publication]:
    both = light_publications(limit) + rating_publications(limit)
    return sorted(both, key=lambda p: p.published_at, reverse=True)[:limit]


# ---------------------------------------------------------------- pages


def list_context(plist: ProjectList, month: int) -> dict[str, Any]:
    run = reads.published_run(plist, month)
    months = reads.published_months(plist)
    return {
        "plist": plist,
        "run": run,
        "month": month,
        "month_label": reads.month_label(plist, month),
        "month_links": [
            (m, reads.month_label(plist, m), reverse("portal:projects:month", args=[plist.code, m]))
            for m in months
        ],
        "map": reads.light_map(plist, month),
        "ratings": reads.published_ratings(plist),
        "legend": legend(),
        "corrected": (plist.pk, month) in reads.corrected_months(),
        "csv_url": lights_data_url(run, "csv"),
        "json_url": lights_data_url(run, "json"),
    }


@public_page()
def list_page(request: HttpRequest, code: str) -> HttpResponse:
    plist = reads.public_list(code)
    months = reads.published_months(plist)
    if not months:  # quarters published, no month (a list started mid-way): show the quarters
        context = {"plist": plist, "ratings": reads.published_ratings(plist), "legend": legend()}
        return render_portal(request, "portal/projects/list.html", context)
    return render_portal(request, "portal/projects/list.html", list_context(plist, months[-1]))


@public_page()
def month_page(request: HttpRequest, code: str, month: int) -> HttpResponse:
    plist = reads.public_list(code)
    return render_portal(request, "portal/projects/list.html", list_context(plist, month))


@public_page()
def locality_page(request: HttpRequest, code: str, unit: str) -> HttpResponse:
    plist = reads.public_list(code)
    months = reads.published_months(plist)
    if not months:
        raise Http404
    locality = reads.locality_of(plist, unit)
    context = {
        "plist": plist,
        "unit": locality,
        "months": months,
        "legend": legend(),
        **reads.locality_grid(plist, locality, months),
    }
    return render_portal(request, "portal/projects/locality.html", context)


@public_page()
def rating_page(request: HttpRequest, code: str, quarter: int) -> HttpResponse:
    plist = reads.public_list(code)
    rating = reads.published_rating(plist, quarter)
    context = {
        "plist": plist,
        "rating": rating,
        "quarters": [(r.quarter, r.label, rating_url(r)) for r in reads.published_ratings(plist)],
        "red_flags": reads.rating_entries(rating, RatingKind.RED_FLAG),
        "snails": reads.rating_entries(rating, RatingKind.SNAIL),
        "csv_url": rating_data_url(rating, "csv"),
        "json_url": rating_data_url(rating, "json"),
    }
    return render_portal(request, "portal/projects/rating.html", context)


# ---------------------------------------------------------------- open data


def list_facts(plist: ProjectList) -> dict[str, Any]:
    return {
        "code": plist.code,
        "name": plist.name,
        "year": plist.year,
        "owner": {"code": plist.owner.code, "name": plist.owner.name},
    }


@in_default_language
@public_page()
def lights_data(request: HttpRequest, code: str, month: int, fmt: str) -> HttpResponse:
    check_format(fmt)
    plist = reads.public_list(code)
    run = reads.published_run(plist, month)
    rows = reads.lights_rows(run)
    name = f"{plist.code}-lights-{plist.year}-{month:02d}"
    if fmt == "csv":
        words = [{**row, "light": str(reads.LIGHT_WORDS[row["light"]])} for row in rows]
        title = f"{plist.name} · {reads.month_label(plist, month)}"
        return table_data_response(title, LIGHT_COLUMNS, words, name)
    assert run.published_at is not None
    document = {
        "schema": SCHEMA_LIGHTS,
        "list": list_facts(plist),
        "month": month,
        "run": {
            "id": run.pk,
            "rule_version": run.rule_version.version,
            "rules_digest": run.rule_version.digest,
            "inputs_digest": run.inputs_digest,
            "outputs_digest": run.outputs_digest,
            "published_at": run.published_at.isoformat(),
            "reason": run.reason,
        },
        "columns": [key for key, _header in LIGHT_COLUMNS],
        "rows": rows,
    }
    return document_response(document, name)


@in_default_language
@public_page()
def rating_data(request: HttpRequest, code: str, quarter: int, fmt: str) -> HttpResponse:
    check_format(fmt)
    plist = reads.public_list(code)
    rating = reads.published_rating(plist, quarter)
    rows = reads.rating_rows(rating)
    name = f"{plist.code}-ratings-{plist.year}Q{quarter}"
    if fmt == "csv":
        words = [{**row, "kind": KIND_WORDS[row["kind"]]} for row in rows]
        return table_data_response(f"{plist.name} · {rating.label}", RATING_COLUMNS, words, name)
    assert rating.published_at is not None
    document = {
        "schema": SCHEMA_RATINGS,
        "list": list_facts(plist),
        "quarter": quarter,
        "label": rating.label,
        "rating": {
            "id": rating.pk,
            "rule_version": rating.rule_version.version,
            "rules_digest": rating.rule_version.digest,
            "published_at": rating.published_at.isoformat(),
        },
        "columns": [key for key, _header in RATING_COLUMNS],
        "rows": rows,
    }
    return document_response(document, name)


SECTION = Section(
    code="projects",
    title=gettext_lazy("重点项目"),
    front_template="portal/projects/front.html",
    front=front,
    archive=archive,
    datasets=datasets,
    publications=publications,
    pages=[
        path("<slug:code>/", list_page, name="list"),
        path("<slug:code>/months/<int:month>/", month_page, name="month"),
        path("<slug:code>/localities/<str:unit>/", locality_page, name="locality"),
        path("<slug:code>/quarters/<int:quarter>/", rating_page, name="rating"),
    ],
    data=[
        path("<slug:code>/lights/<int:month>.<str:fmt>", lights_data, name="lights"),
        path("<slug:code>/quarters/<int:quarter>.<str:fmt>", rating_data, name="rating"),
    ],
)
