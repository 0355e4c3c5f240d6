"""Forms of the organising and reporting pages. Validation of meaning (values, states) is the
services' job; these forms check shape and turn the request into service arguments."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from saima.core.widgets import DateTimeLocalInput
from saima.engine import Scheme


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


class ReportForm(forms.Form):
    """One decimal field per indicator, labelled with its name and unit."""

    def __init__(
        self, *args: Any, scheme: Scheme, initial_values: dict[str, float | None], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.scheme = scheme
        for i in scheme.indicators:
            self.fields[i.code] = forms.FloatField(
                label=i.name,
                required=False,
                initial=initial_values.get(i.code),
                widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
            )
        self.fields["evidence"] = forms.FileField(label=_("佐证材料"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for code in self.scheme.codes:
            value = data.get(code)
            if value is not None and value != value:
                self.add_error(code, _("请输入有限的数字"))
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
    reason = forms.CharField(label=_("更正原因"), widget=forms.Textarea(attrs={"rows": 3}))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("数据文件（.xlsx 或 .csv）"))
