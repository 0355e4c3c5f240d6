"""Key-project supervision (重点项目): the register and monthly reporting.

A ``ProjectList`` is one year's key-project list of an owner unit (2026年省重点建设项目, a
city's 市重点项目 …). A ``Project`` lives once in the register (its code is global) and enters or
leaves a year's list through ``ListMembership`` rows: an audited decision with a written reason;
a removal closes the row (``removed_at``), it never deletes it, so the history stays.

Each project has an ``AnnualPlan`` per year: planned investment **per month** (12 amounts in
万元, monthly, not cumulative; the engine's ``planned_monthly``) and the planned milestone dates
(签约, 供地, 审批, 开工, 竣工/投产). Each month the project's unit files one ``MonthlyReport``:
investment completed **this year, cumulative** to the month's end (万元), 形象进度 % of the
whole project, problems needing coordination (public only when flagged), a correction reason
when the cumulative figure falls below last month's. ``MilestoneReached`` keeps the date each
milestone was reached (once per project); ``ReportPhoto`` the site photos (re-encoded, stored
privately under generated names). ``ReportingDeadline`` is the due time of one list's month
(by default day ``report_day`` of the next month) and when reminders and chasers went out.

Money is Decimal 万元 (ten thousand yuan), as the lists publish it.

The models live in one module per concept, and every public name is re-exported here (callers
import ``saima.projects.models`` and never a module of it): ``register`` (lists, projects, list
memberships, annual plans), ``reporting`` (monthly reports, milestones, photos, deadlines and
reminders), ``imports``, and, owned by the lights branch, ``lights`` (rule versions, runs, lights,
exemptions), ``ratings``, ``cards``, ``supervision``, ``incentives``; docs/projects.md (section
"Lights, ratings, cards") describes these.
"""

from __future__ import annotations

import uuid

# The upload paths (``upload_to=``) are defined here, BEFORE the modules below are imported: the
# migrations name them ``saima.projects.models.photo_path`` and ``saima.projects.models.import_path``
# (0001_initial), so that path must stay. ``reporting`` and ``imports`` import them from
# ``saima.projects.models``, which by then is partly initialised but already holds them. Any other
# callable a migration comes to reference belongs here too, for the same reason.


def photo_path(instance: ReportPhoto, filename: str) -> str:
    """A generated name: nothing of the uploaded name (or its place) reaches the disk."""
    return f"projects/photos/{instance.report.project_id}/{uuid.uuid4().hex}.{instance.kind}"


def import_path(instance: ImportBatch, filename: str) -> str:
    return f"projects/imports/{instance.project_list_id}/{uuid.uuid4().hex}-{filename}"


# In the order the models stood in the one module, so the app registry lists them as before.
# isort: off
from saima.projects.models.register import (  # noqa: E402
    MONTHS,
    PLAN_FIELDS,
    AnnualPlan,
    Category,
    ListMembership,
    Milestone,
    Project,
    ProjectList,
)
from saima.projects.models.reporting import (  # noqa: E402
    MilestoneReached,
    MonthlyReport,
    ReportingDeadline,
    ReportPhoto,
    ReportStatus,
)
from saima.projects.models.imports import ImportBatch, ImportKind  # noqa: E402
from saima.projects.models.lights import (  # noqa: E402
    Exemption,
    LightColour,
    LightRuleVersion,
    LightRun,
    MonthlyLight,
)
from saima.projects.models.ratings import (  # noqa: E402
    QuarterRating,
    RatingEntry,
    RatingKind,
    RatingOrigin,
    RatingStatus,
)
from saima.projects.models.cards import Card, CardEvent, CardState  # noqa: E402
from saima.projects.models.supervision import (  # noqa: E402
    SupervisionItem,
    SupervisionNote,
    SupervisionStatus,
)
from saima.projects.models.incentives import IncentiveProposal  # noqa: E402
# isort: on

__all__ = [
    "MONTHS",
    "PLAN_FIELDS",
    "AnnualPlan",
    "Card",
    "CardEvent",
    "CardState",
    "Category",
    "Exemption",
    "ImportBatch",
    "ImportKind",
    "IncentiveProposal",
    "LightColour",
    "LightRuleVersion",
    "LightRun",
    "ListMembership",
    "Milestone",
    "MilestoneReached",
    "MonthlyLight",
    "MonthlyReport",
    "Project",
    "ProjectList",
    "QuarterRating",
    "RatingEntry",
    "RatingKind",
    "RatingOrigin",
    "RatingStatus",
    "ReportPhoto",
    "ReportStatus",
    "ReportingDeadline",
    "SupervisionItem",
    "SupervisionNote",
    "SupervisionStatus",
    "import_path",
    "photo_path",
]
