"""Forms of the organising and reporting pages. Validation of meaning (values, states) is the
services' job; these forms check shape and turn the request into service arguments."""

from __future__ import annotations

import math
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from saima.core.tabular.importing import translated
from saima.core.tabular.numbers import parse_number
from saima.core.tabular.problems import CellError
from saima.core.widgets import DateTimeLocalInput
from saima.engine import Indicator, Scheme
from saima.races.reporting.evidence import evidence_field
from saima.races.schemes.selectors import value_problems


class PeriodOpenForm(forms.Form):
    year = forms.IntegerField(label=_("年份"), min_value=2000, max_value=2100)
    number = forms.IntegerField(
        label=_("季度/月份"),
        min_value=0,
        max_value=12,
        help_text=_("季度赛马填 1–4，月度填 1–12，年度填 0"),
    )
    deadline = forms.DateTimeField(label=_("填报截止时间"), widget=DateTimeLocalInput())

    def clean_deadline(self) -> Any:
        deadline = self.cleaned_data["deadline"]
        if deadline <= timezone.now():
            raise forms.ValidationError(_("截止时间必须晚于现在"))
        return deadline


class DeadlineForm(forms.Form):
    deadline = forms.DateTimeField(label=_("新的截止时间"), widget=DateTimeLocalInput())


class IndicatorValueField(forms.FloatField):
    """A number read by the same rules as every import (``saima.core.tabular.numbers``): ``12,8``,
    full-width digits and the like are refused with the reason, never guessed."""

    def to_python(self, value: Any) -> float | None:  # type: ignore[override]  # stubs: int
        if value in self.empty_values:
            return None
        try:
            return parse_number(str(value))
        except CellError as exc:
            raise forms.ValidationError(translated(exc.problem), code="invalid") from exc


def indicator_field(indicator: Indicator, initial: float | None) -> forms.FloatField:
    """The number field of one indicator, labelled with its name, carrying its bounds to the
    browser (min, max, step 1 for whole numbers); empty means not given."""
    attrs: dict[str, Any] = {
        "step": "1" if indicator.integer else "any",
        "inputmode": "numeric" if indicator.integer else "decimal",
    }
    if indicator.min is not None:
        attrs["min"] = f"{indicator.min:g}"
    if indicator.max is not None:
        attrs["max"] = f"{indicator.max:g}"
    return IndicatorValueField(
        label=indicator.name,
        required=False,
        initial=initial,
        widget=forms.NumberInput(attrs=attrs),
    )


def clean_indicator_values(
    form: forms.Form, scheme: Scheme, prefix: str = ""
) -> dict[str, float | None]:
    """Each indicator's value (None if empty), with an error on each field that is no finite
    number or breaks the indicator's bounds (naming the indicator and the bound)."""
    values: dict[str, float | None] = {}
    for code in scheme.codes:
        value = form.cleaned_data.get(prefix + code)
        if value is not None and not math.isfinite(value):
            form.add_error(prefix + code, _("请输入有限的数字"))
            value = None
        values[code] = value
    for code, problem in value_problems(scheme, values).items():
        form.add_error(prefix + code, problem)
    return values


class ReportForm(forms.Form):
    """One number field per indicator, labelled with its name and unit, and the evidence."""

    def __init__(
        self, *args: Any, scheme: Scheme, initial_values: dict[str, float | None], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.scheme = scheme
        for i in scheme.indicators:
            self.fields[i.code] = indicator_field(i, initial_values.get(i.code))
        self.fields["evidence"] = evidence_field()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        clean_indicator_values(self, self.scheme)
        return data

    def values(self) -> dict[str, float | None]:
        return {code: self.cleaned_data.get(code) for code in self.scheme.codes}


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, codes: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code in codes:
            self.fields[f"note_{code}"] = forms.CharField(required=False, max_length=500)

    def notes(self) -> dict[str, str]:
        return {k[5:]: v for k, v in self.cleaned_data.items() if k.startswith("note_") and v}


class CorrectionForm(forms.Form):
    """An organiser's correction (更正): every indicator's value (``value_<code>``) and the reason."""

    reason = forms.CharField(label=_("更正原因"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, scheme: Scheme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scheme = scheme
        for i in scheme.indicators:
            self.fields[f"value_{i.code}"] = indicator_field(i, None)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        clean_indicator_values(self, self.scheme, prefix="value_")
        return data

    def values(self) -> dict[str, float | None]:
        return {code: self.cleaned_data.get(f"value_{code}") for code in self.scheme.codes}


class ImportForm(forms.Form):
    file = forms.FileField(label=_("数据文件（.xlsx 或 .csv）"))
