"""The structured scheme editor (方案编辑器): a race's scheme as forms an official can fill in.

Indicators and sections are formsets (rows may be added and removed), groups a formset of fixed
rows (their codes name peer groups), the method one form. ``SchemeEditor`` binds them, checks
every row with a reason shown beside the field and, in the summary at the top, a message naming
the row and field (指标第 2 行「权重」：须大于 0). It then builds an engine ``Scheme`` and checks it
with the engine (``load_scheme(scheme_to_toml(...))``); an engine ``SchemeError`` is put on the
field it names where it can be. The editor never writes: the view hands ``toml`` to
``schemes.services.race_update``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext as _

from saima.engine import Scheme, SchemeError, load_scheme, scheme_from_dict, scheme_to_toml
from saima.races.models import Race
from saima.races.schemes.forms import (
    ExplainedSelect,
    GroupFormSet,
    IndicatorFormSet,
    MethodForm,
    RowForm,
    SectionFormSet,
)
from saima.races.schemes.selectors import (
    group_sizes,
    list_size,
    pending_values,
    race_has_values,
    unreported_rule,
)
from saima.races.schemes.weights import (
    DATA_DRIVEN,
    SECTION_COLOURS,
    effective_weights,
    section_totals,
    weights_chart,
)

# ---------------------------------------------------------------- the editor


def _free_code(taken: set[str]) -> str:
    """A code for a new indicator left without one: ind1, ind2, … (added to ``taken``)."""
    number = 1
    while f"ind{number}" in taken:
        number += 1
    taken.add(f"ind{number}")
    return f"ind{number}"


def plain(value: float | None) -> float | int | None:
    """2.0 shows as 2, 0.12 as 0.12: weights as an official would write them."""
    return int(value) if value is not None and float(value).is_integer() else value


def initial_data(scheme: Scheme) -> dict[str, Any]:
    top, bottom = list_size(scheme)
    m = scheme.method
    return {
        "method": {
            "name": scheme.name,
            "normalise": m.normalise,
            "weighting": m.weighting,
            "aggregate": m.aggregate,
            "missing": m.missing,
            "scope": m.scope,
            "winsorise": plain(m.winsorise),
            "list_top": top,
            "list_bottom": bottom,
            "concentration": plain(scheme.robustness_concentration),
            "unreported_treatment": unreported_rule(scheme).treatment,
            "unreported_black_list": "yes" if unreported_rule(scheme).black_list else "no",
        },
        "sections": [{**vars(s), "weight": plain(s.weight)} for s in scheme.sections],
        "groups": [vars(g) for g in scheme.groups],
        "indicators": [
            {
                **vars(i),
                "weight": plain(i.weight),
                "target": plain(i.target),
                "min": plain(i.min),
                "max": plain(i.max),
            }
            for i in scheme.indicators
        ],
    }


@dataclass
class Problem:
    """One refusal: where (row and field, for the summary) and why."""

    where: str
    reason: str

    def __str__(self) -> str:
        if not self.where:
            return self.reason
        return _("%(where)s：%(reason)s") % {"where": self.where, "reason": self.reason}


class SchemeEditor:
    """The bound (or unbound) editor of ``current``; ``toml`` is set once ``is_valid()``."""

    def __init__(self, current: Scheme, race: Race | None = None, data: Any = None) -> None:
        self.current = current
        self.race = race
        self.toml = ""
        self.scheme: Scheme | None = None
        self.problems: list[Problem] = []
        initial = initial_data(current)
        self.pending = pending_values(race) if race is not None and data is not None else {}
        sections = [(s.code, s.name) for s in current.sections]
        if data is not None:
            sections += self._posted_sections(data)
        self.method = MethodForm(data, initial=initial["method"], prefix="m")
        self.sections = SectionFormSet(data, initial=initial["sections"], prefix="sec")
        self.groups = GroupFormSet(
            data,
            initial=initial["groups"],
            prefix="grp",
            form_kwargs={"sizes": group_sizes(current)},
        )
        locked = race is not None and race_has_values(race)
        self.indicators = IndicatorFormSet(
            data,
            initial=initial["indicators"],
            prefix="ind",
            form_kwargs={"locked": locked, "sections": sections},
        )
        self.locked = locked

    @staticmethod
    def _posted_sections(data: Any) -> list[tuple[str, str]]:
        """Sections added in this submission, so a new indicator may name them."""
        found = []
        for key, code in data.items():
            match = re.fullmatch(r"sec-(\d+)-code", key)
            if match and code:
                found.append((code, data.get(f"sec-{match.group(1)}-name", code)))
        return found

    # ------------------------------------------------------------ validation

    def is_valid(self) -> bool:
        self.problems = []
        forms_ok = all(
            [
                self.method.is_valid(),
                self.sections.is_valid(),
                self.groups.is_valid(),
                self.indicators.is_valid(),
            ]
        )
        if len(self.groups.forms) != len(self.current.groups):
            self.problems.append(Problem("", _("分组的增减请在高级面板中修改 TOML")))
        if forms_ok and not self.problems:
            self._check_rows()
        if forms_ok and not self.problems and not self._row_problems():
            self._build()
        self.problems = self._row_problems() + self.problems
        return not self.problems

    def _kept(self, formset: forms.BaseFormSet[RowForm]) -> list[RowForm]:
        return [
            f for f in formset.forms if not (formset.can_delete and f.cleaned_data.get("DELETE"))
        ]

    def _check_rows(self) -> None:
        sections = self._kept(self.sections)
        indicators = self._kept(self.indicators)
        method = self.method.cleaned_data
        self._check_section_rows(sections, indicators)
        self._check_indicator_rows(sections, indicators, method)
        self._check_removals(indicators)

    def _check_section_rows(self, sections: list[RowForm], indicators: list[RowForm]) -> None:
        if not sections:
            self.sections.non_form_errors().append(_("至少需要一个板块"))
            return
        weighted = [f.cleaned_data.get("weight") is not None for f in sections]
        if any(weighted) and not all(weighted):
            for form, has in zip(sections, weighted, strict=True):
                if not has:
                    form.add_error("weight", _("要么每个板块都填权重，要么都不填"))
        used = {f.cleaned_data.get("section") for f in indicators}
        seen: dict[str, int] = {}
        for form in sections:
            code = form.cleaned_data["code"]
            if code in seen:
                form.add_error("name", _("与第 %(row)s 行重复") % {"row": seen[code]})
            seen.setdefault(code, form.row)
            if code not in used:
                form.add_error(None, _("该板块没有指标：请把指标归入它，或删除该板块"))

    def _check_indicator_rows(
        self, sections: list[RowForm], indicators: list[RowForm], method: dict[str, Any]
    ) -> None:
        if not indicators:
            self.indicators.non_form_errors().append(_("至少需要一项指标"))
            return
        names = {f.cleaned_data["code"]: f.cleaned_data["name"] for f in sections}
        taken = {f.cleaned_data["code"] for f in indicators}
        seen: dict[str, int] = {}
        for form in indicators:
            data = form.cleaned_data
            if not data["code"]:
                data["code"] = _free_code(taken)
            code, section = data["code"], data["section"]
            if code in seen:
                form.add_error(
                    "code",
                    _("代码「%(code)s」与第 %(row)s 行重复") % {"code": code, "row": seen[code]},
                )
            seen.setdefault(code, form.row)
            if section not in names:
                form.add_error("section", _("板块「%(code)s」不存在或已删除") % {"code": section})
            if method["weighting"] == "fixed" and data.get("weight") is None:
                form.add_error("weight", _("固定权重时须填写权重"))
            if method["normalise"] == "target" and data.get("target") is None:
                form.add_error("target", _("按目标值标准化时须填写目标值"))

    def _check_removals(self, indicators: list[RowForm]) -> None:
        kept = {f.cleaned_data.get("code") for f in indicators}
        for form in self.indicators.forms:
            code = form.initial.get("code")
            if code and code not in kept and code in self.pending:
                message = _(
                    "「%(name)s」在%(period)s已有填报数据，不能删除；可在该周期计算结果后再删除"
                ) % {"name": form.initial.get("name", code), "period": self.pending[code]}
                form.add_error(None, message)
                self.problems.append(Problem(self._where("ind", form, None), message))

    # ------------------------------------------------------------ building

    def _build(self) -> None:
        doc = self._document()
        try:
            scheme = scheme_from_dict(doc)
            toml = scheme_to_toml(scheme)
            load_scheme(toml)
        except SchemeError as exc:
            self._place_engine_error(str(exc))
            return
        self.scheme, self.toml = scheme, toml

    def _document(self) -> dict[str, Any]:
        m = self.method.cleaned_data
        doc: dict[str, Any] = dict(self.current.extra)
        lists = dict(doc.pop("lists", None) or {})
        lists.update(top=m["list_top"], bottom=m["list_bottom"])
        if lists["top"] or lists["bottom"]:
            doc["lists"] = lists
        if m.get("unreported_treatment") or m.get("unreported_black_list"):
            rule = unreported_rule(self.current)
            doc["unreported"] = {
                "treatment": m.get("unreported_treatment") or rule.treatment,
                "black_list": m["unreported_black_list"] == "yes"
                if m.get("unreported_black_list")
                else rule.black_list,
            }
        doc["name"] = m["name"]
        doc["method"] = {
            k: m[k] for k in ("normalise", "scope", "weighting", "aggregate", "missing")
        }
        doc["method"]["winsorise"] = m["winsorise"]
        doc["robustness"] = {"concentration": m["concentration"]}
        doc["groups"] = [
            {
                "code": f.cleaned_data["code"],
                "name": f.cleaned_data["name"],
                "quota": f.cleaned_data["quota"],
            }
            for f in self.groups.forms
        ]
        doc["sections"] = [self._section_doc(f.cleaned_data) for f in self._kept(self.sections)]
        doc["indicators"] = [
            self._indicator_doc(f.cleaned_data) for f in self._kept(self.indicators)
        ]
        if m["weighting"] == "ahp":
            doc["ahp"] = self._ahp(doc["indicators"])
        return doc

    @staticmethod
    def _section_doc(data: dict[str, Any]) -> dict[str, Any]:
        section = {"code": data["code"], "name": data["name"]}
        if data.get("weight") is not None:
            section["weight"] = data["weight"]
        return section

    @staticmethod
    def _indicator_doc(data: dict[str, Any]) -> dict[str, Any]:
        keys = ("code", "name", "section", "direction", "unit", "help")
        indicator = {k: (data.get(k) or "").strip() for k in keys}
        for key in ("weight", "target", "min", "max"):
            if data.get(key) is not None:
                indicator[key] = data[key]
        if data.get("integer"):
            indicator["integer"] = True
        return indicator

    def _ahp(self, indicators: list[dict[str, Any]]) -> dict[str, Any]:
        same = tuple(i["code"] for i in indicators) == self.current.codes
        if self.current.ahp is None or not same:
            raise_message = _(
                "层次分析法需要与指标一一对应的判断矩阵：请在下方高级面板中编辑 [ahp] matrix"
            )
            self.method.add_error("weighting", raise_message)
            return {}
        return {"matrix": [list(row) for row in self.current.ahp]}

    def _place_engine_error(self, message: str) -> None:
        """Put an engine error on the field it names (indicator 'x': weight …), else at the top."""
        reason = _("方案有误：%(reason)s") % {"reason": message}
        target = self._engine_target(message)
        if target is None:
            self.problems.append(Problem("", reason))
            return
        form, field = target
        form.add_error(field if field in form.fields else None, reason)

    def _engine_target(self, message: str) -> tuple[forms.Form, str | None] | None:
        match = re.match(r"^(indicator|section|group) '(.+?)': (\w+)", message)
        if match:
            kind, code, word = match.groups()
            formset = {
                "indicator": self.indicators,
                "section": self.sections,
                "group": self.groups,
            }[kind]
            for form in self._kept(formset):
                if form.cleaned_data.get("code") == code:
                    return form, word
        match = re.match(r"^(indicators|sections|groups)\[(\d+)\]\.?(\w*)", message)
        if match:
            kind, index, word = match.groups()
            formset = {
                "indicators": self.indicators,
                "sections": self.sections,
                "groups": self.groups,
            }[kind]
            kept = self._kept(formset)
            if int(index) < len(kept):
                return kept[int(index)], word or None
        match = re.match(r"^(method|robustness)\.(\w+)", message)
        if match:
            return self.method, match.group(2)
        return None

    # ------------------------------------------------------------ messages

    def _row_problems(self) -> list[Problem]:
        found = [Problem("", str(e)) for e in self.method.non_field_errors()]
        for name, errors in self.method.errors.items():
            if name != "__all__":
                label = self.method.fields[name].label
                found += [Problem(_("「%(field)s」") % {"field": label}, str(e)) for e in errors]
        for prefix, formset in (
            ("sec", self.sections),
            ("grp", self.groups),
            ("ind", self.indicators),
        ):
            found += [Problem(self._title(prefix), str(e)) for e in formset.non_form_errors()]
            for form in self._kept_or_all(formset):
                for name, errors in form.errors.items():
                    where = self._where(prefix, form, None if name == "__all__" else name)
                    found += [Problem(where, str(e)) for e in errors]
        return found

    def _kept_or_all(self, formset: forms.BaseFormSet[RowForm]) -> list[RowForm]:
        if not formset.is_bound:
            return []
        return [
            f
            for f in formset.forms
            if not (formset.can_delete and f.is_bound and f.data.get(f.add_prefix("DELETE")))
        ]

    @staticmethod
    def _title(prefix: str) -> str:
        return {"sec": _("板块"), "grp": _("分组"), "ind": _("指标")}[prefix]

    def _where(self, prefix: str, form: RowForm, field: str | None) -> str:
        where = _("%(table)s第 %(row)s 行") % {"table": self._title(prefix), "row": form.row}
        if field and field in form.fields:
            where = _("%(where)s「%(field)s」") % {
                "where": where,
                "field": form.fields[field].label,
            }
        return where

    @property
    def changed(self) -> bool:
        return self.scheme is not None and self.scheme != self.current

    def section_choices(self) -> list[tuple[str, str]]:
        return [(s.code, s.name) for s in self.current.sections]


def _percent(weight: float | None) -> str:
    return "—" if weight is None else f"{100 * weight:.1f}%"


def method_fields(form: MethodForm) -> list[tuple[Any, str, bool]]:
    """(bound field, the line of help to show, whether it follows the selected option)."""
    rows = []
    for field in form:
        widget = field.field.widget
        if isinstance(widget, ExplainedSelect):
            rows.append((field, str(widget.help.get(field.value(), "")), True))
        else:
            rows.append((field, str(field.help_text), False))
    return rows


def editor_context(editor: SchemeEditor) -> dict[str, Any]:
    """What the page shows beside the forms: effective weights per row, per section, the chart.

    Figures are those of the stored scheme (or of the submitted one once it validated); the
    page's script recomputes them as the organiser types.
    """
    scheme = editor.scheme or editor.current
    weights = effective_weights(scheme)
    shares: list[float | None] = (
        list(weights) if weights is not None else [None] * len(scheme.codes)
    )
    by_code = dict(zip(scheme.codes, shares, strict=True))
    totals = section_totals(scheme, weights)
    sizes = group_sizes(editor.current)
    indicator_rows = [
        (form, _percent(by_code.get(form.initial.get("code") or form["code"].value() or "")))
        for form in editor.indicators.forms
    ]
    section_rows = [
        (form, _percent(totals.get(form["code"].value() or ""))) for form in editor.sections.forms
    ]
    group_rows = [(form, sizes.get(form.initial.get("code", ""))) for form in editor.groups.forms]
    return {
        "method_fields": method_fields(editor.method),
        "indicator_rows": indicator_rows,
        "section_rows": section_rows,
        "group_rows": group_rows,
        "weights_chart": weights_chart(scheme, weights),
        "section_colours": list(SECTION_COLOURS),
        "data_driven": scheme.method.weighting in DATA_DRIVEN,
    }
