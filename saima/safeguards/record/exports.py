"""The person's record as a workbook: every entry; the negative assessment items (负面考核事项),
from which tolerated errors are left out; and the tolerated errors themselves."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from saima.core.exports import Table
from saima.core.records import RecordEntry, RecordSection
from saima.org.models import Person


def _counts(entry: RecordEntry) -> str:
    if not entry.negative:
        return _("否")
    return _("否（已容错免责）") if entry.tolerated else _("是")


def _row(label: str, entry: RecordEntry, *, counts: bool = True) -> list[Any]:
    row: list[Any] = [label, entry.when or "", entry.title, entry.outcome]
    if counts:
        row.append(_counts(entry))
    return [*row, entry.ref]


def record_tables(person: Person, sections: list[RecordSection]) -> list[Table]:
    everything, negative, tolerated = [], [], []
    for section in sections:
        label = str(section.label)
        for entry in section.entries:
            everything.append(_row(label, entry))
            if entry.negative and not entry.tolerated:
                negative.append(_row(label, entry, counts=False))
            if entry.negative and entry.tolerated:
                tolerated.append(_row(label, entry, counts=False))
    base = [_("板块"), _("日期"), _("事项"), _("结果")]
    who = [person.name, person.position, person.unit.name, person.frontline, timezone.localdate()]
    return [
        Table(_("干部"), [_("姓名"), _("职务"), _("单位"), _("一线干部"), _("导出日期")], [who]),
        Table(_("考核档案"), [*base, _("计入负面考核"), _("记录编号")], everything),
        Table(_("负面考核事项"), [*base, _("记录编号")], negative),
        Table(_("已容错免责"), [*base, _("记录编号")], tolerated),
    ]
