"""Imports into a list: projects and plans, or one month's reports."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from saima.core import models as core_models

# From the package, not moved here: the migrations reference it as saima.projects.models.import_path.
from saima.projects.models import import_path
from saima.projects.models.register import ProjectList


class ImportKind(models.TextChoices):
    PROJECTS = "projects", _("项目及年度计划")
    REPORTS = "reports", _("月度填报")


class ImportBatch(core_models.ImportBatch):
    """An XLSX/CSV upload into a list (projects + plans, or one month's reports): validated
    whole, previewed, then applied all or nothing when confirmed (``saima.core.models.ImportBatch``)."""

    project_list = models.ForeignKey(
        ProjectList, verbose_name=_("清单"), on_delete=models.CASCADE, related_name="imports"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=ImportKind.choices)
    month = models.PositiveSmallIntegerField(_("月份"), null=True, blank=True)
    file = models.FileField(upload_to=import_path, max_length=255)
    applied_rows = models.PositiveIntegerField(default=0)
