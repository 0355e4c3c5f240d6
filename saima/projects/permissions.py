"""Who may do what with key projects, built on ``saima.org.permissions``.

- managing a list (adding and removing projects, imports, deadlines, reminders, corrections
  after submission): an organiser of the list's owning unit (or above) — 重点项目办;
- reporting a project's month: the reporter of its responsible unit (责任单位), or an organiser
  over that unit, or a manager of a list the project is on (代填);
- seeing a project's unpublished data (drafts, private photos, problems not marked public):
  whoever may view its responsible unit's data, whoever may view its locality's data (the
  county, its city and the province, each over its subtree), and the managers of its lists;
- the public: a project on a published list, without private photos or non-public problems.
"""

from __future__ import annotations

from saima.org.models import Role, Unit
from saima.org.permissions import (
    AnyUser,
    grants_of,
    is_superuser,
    may_edit_unit_data,
    may_organise,
    may_view_unit_data,
    units_organised_by,
)
from saima.projects.models import (
    Card,
    ListMembership,
    MonthlyReport,
    Project,
    ProjectList,
    QuarterRating,
    RatingStatus,
    ReportPhoto,
    ReportStatus,
    SupervisionItem,
)


def may_manage_list(user: AnyUser, plist: ProjectList) -> bool:
    return may_organise(user, plist.owner)


def may_create_list(user: AnyUser) -> bool:
    return is_superuser(user) or units_organised_by(user).exists()


def may_view_list(user: AnyUser, plist: ProjectList) -> bool:
    """The list and its reporting board: published lists to everyone; unpublished ones to its
    managers and to those who watch the owning unit (viewers, discipline officers)."""
    return plist.published_at is not None or may_view_unit_data(user, plist.owner)


def may_watch_list(user: AnyUser, plist: ProjectList) -> bool:
    """The reporting-progress board (who is late) of a list."""
    return may_view_unit_data(user, plist.owner)


def _manages_a_list_of(user: AnyUser, project: Project) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    open_lists = ListMembership.objects.filter(project=project, removed_at__isnull=True)
    owners = open_lists.values_list("project_list__owner__path", flat=True)
    organised = [g.unit.path for g in grants_of(user) if g.role == Role.ORGANISER]
    return any(path.startswith(scope) for path in owners for scope in organised)


def may_view_project(user: AnyUser, project: Project) -> bool:
    """The project's unpublished data (drafts, private photos, non-public problems)."""
    return (
        may_view_unit_data(user, project.owner_unit)
        or may_view_unit_data(user, project.locality)
        or _manages_a_list_of(user, project)
    )


def is_published_project(project: Project) -> bool:
    return ListMembership.objects.filter(
        project=project, project_list__published_at__isnull=False
    ).exists()


def may_see_project_page(user: AnyUser, project: Project) -> bool:
    """The project page at all: its viewers, or anyone once it is on a published list."""
    return may_view_project(user, project) or is_published_project(project)


def may_report(user: AnyUser, project: Project) -> bool:
    """File the project's monthly reports (填报)."""
    return may_edit_unit_data(user, project.owner_unit) or _manages_a_list_of(user, project)


def may_edit_report(user: AnyUser, report: MonthlyReport) -> bool:
    """Change a report: the reporting unit while it is a draft; after submission only a manager
    of one of the project's lists, as a correction with a reason."""
    if report.status == ReportStatus.DRAFT:
        return may_report(user, report.project)
    return may_correct_report(user, report)


def may_correct_report(user: AnyUser, report: MonthlyReport) -> bool:
    return _manages_a_list_of(user, report.project) or (
        is_superuser(user) and report.status == ReportStatus.SUBMITTED
    )


def may_see_problems(user: AnyUser, report: MonthlyReport) -> bool:
    """需协调解决的问题: the project's viewers always; the public only when marked public."""
    return report.problems_public or may_view_project(user, report.project)


def may_view_photo(user: AnyUser, photo: ReportPhoto) -> bool:
    """A site photo: the project's viewers; the public only when the photo is marked public,
    the site is not private and the project is on a published list."""
    project = photo.report.project
    if may_view_project(user, project):
        return True
    return (
        photo.public
        and not project.site_private
        and photo.report.status == ReportStatus.SUBMITTED
        and is_published_project(project)
    )


def reporter_units(user: AnyUser) -> list[int]:
    """The units the user reports for (填报员 grants)."""
    return [g.unit_id for g in grants_of(user) if g.role == Role.REPORTER]


def may_import_reports(user: AnyUser, plist: ProjectList) -> bool:
    """Upload one month's reports for many projects: the list's managers, or a reporter of a
    unit responsible for projects on the list (each row is then checked against the projects
    that reporter may report)."""
    if may_manage_list(user, plist):
        return True
    units = reporter_units(user)
    return (
        bool(units)
        and ListMembership.objects.filter(
            project_list=plist, removed_at__isnull=True, project__owner_unit_id__in=units
        ).exists()
    )


# --- lights, ratings, cards (owned by the lights branch) ---
# Rules, light runs, ratings, cards, supervision and incentives of a list are managed by the
# list's managers (重点项目办); its watchers read them; a project's unit and locality read (and
# note progress on) what concerns their projects; the public reads published lights and lists.


def may_view_locality_progress(user: AnyUser, plist: ProjectList, locality: Unit) -> bool:
    """A locality's dashboard with its unpublished months, SPI, exemptions and cards."""
    return may_watch_list(user, plist) or may_view_unit_data(user, locality)


def may_view_rating(user: AnyUser, rating: QuarterRating) -> bool:
    """A quarter's list: everyone once published (on a published list); before, its watchers."""
    if rating.status == RatingStatus.PUBLISHED and rating.project_list.published_at is not None:
        return True
    return may_watch_list(user, rating.project_list)


def may_view_card(user: AnyUser, card: Card) -> bool:
    return may_watch_list(user, card.project_list) or may_view_project(user, card.project)


def may_view_supervision(user: AnyUser, item: SupervisionItem) -> bool:
    return may_watch_list(user, item.project_list) or may_view_project(user, item.project)


def may_note_supervision(user: AnyUser, item: SupervisionItem) -> bool:
    """Write a progress note (进展情况): the project's reporting unit or the list's managers."""
    return may_manage_list(user, item.project_list) or may_edit_unit_data(
        user, item.project.owner_unit
    )
