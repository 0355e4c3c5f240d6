"""Clarification notices in a bulletin (澄清正名): only cases cleared by public notice whose
person's consent stands (``safeguards.selectors.public_notices``), clarified in the period,
about people of the issuing unit's subtree."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from saima.bulletins.content import Block, Section, Table
from saima.bulletins.sections import Scope
from saima.safeguards.selectors import public_notices


def _span(scope: Scope) -> tuple[dt.datetime, dt.datetime]:
    if scope.kind == "annual" or scope.quarter is None:
        first, months = dt.date(scope.year, 1, 1), 12
    else:
        first, months = dt.date(scope.year, 3 * scope.quarter - 2, 1), 3
    end_month = first.month + months
    end = dt.date(first.year + (end_month > 12), (end_month - 1) % 12 + 1, 1)
    zone = timezone.get_current_timezone()
    return (
        dt.datetime.combine(first, dt.time(), tzinfo=zone),
        dt.datetime.combine(end, dt.time(), tzinfo=zone),
    )


def build(scope: Scope) -> list[Section]:
    start, end = _span(scope)
    notices = list(
        public_notices().filter(
            unit__path__startswith=scope.unit.path, clarified_at__gte=start, clarified_at__lt=end
        )
    )
    if not notices:
        return []
    rows = [[c.person.name, c.unit.name, c.statement or "—"] for c in notices]
    return [
        Section(
            key="safeguards",
            heading=_("澄清正名"),
            blocks=[
                Block(text=_("经核实，以下干部被反映的问题不属实，经本人同意，予以公开澄清正名。")),
                Block(
                    table=Table(
                        caption=_("公开澄清名单"),
                        headers=[_("姓名"), _("单位"), _("澄清内容")],
                        rows=rows,
                    )
                ),
            ],
        )
    ]
