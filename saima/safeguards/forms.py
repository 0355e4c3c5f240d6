"""The safeguards' forms: they validate shape; the services hold the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from saima.org.models import Unit
from saima.safeguards.models import (
    MAX_PETITIONS,
    TEXT_LIMIT,
    ApplicationStatus,
    ClarificationForm,
    ConditionKind,
    Finding,
    ReformItem,
)


def _text(
    label: Any, *, required: bool = True, rows: int = 4, help_text: Any = ""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_LIMIT,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ItemForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("责任单位"), queryset=Unit.objects.none())
    name = forms.CharField(label=_("改革事项"), max_length=120)
    description = _text(_("说明"), required=False, rows=3)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = units  # type: ignore[attr-defined]


class ConditionForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=ConditionKind.choices)
    text = forms.CharField(label=_("内容"), max_length=300)


class ApplicationForm(forms.Form):
    item = forms.ModelChoiceField(label=_("改革事项"), queryset=ReformItem.objects.none())
    facts = _text(
        _("失误情况"), help_text=_("何时、在哪项改革工作中、出现了什么失误，造成什么后果")
    )
    remedy = _text(_("挽回损失、消除影响情况"), required=False, rows=3)
    covers = forms.MultipleChoiceField(
        label=_("涉及的考核记录"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("申请免予负面考核的记录（容错后在档案中标注，不计入负面考核事项）"),
    )

    def __init__(
        self,
        *args: Any,
        items: QuerySet[ReformItem],
        negative: dict[str, str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items  # type: ignore[attr-defined]
        self.fields["covers"].choices = sorted(negative.items())  # type: ignore[attr-defined]


class AssessForm(forms.Form):
    condition = forms.IntegerField(widget=forms.HiddenInput)
    holds = forms.TypedChoiceField(
        label=_("认定"),
        choices=[("1", _("符合 / 触及")), ("0", _("不符合 / 不触及"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    reason = _text(_("理由"), rows=2)


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("决定"),
        choices=[
            (ApplicationStatus.TOLERATED, ApplicationStatus.TOLERATED.label),
            (ApplicationStatus.PARTLY, ApplicationStatus.PARTLY.label),
            (ApplicationStatus.REFUSED, ApplicationStatus.REFUSED.label),
        ],
        widget=forms.RadioSelect,
    )
    reason = _text(_("决定理由"), rows=3)
    excused = forms.MultipleChoiceField(
        label=_("部分容错时免予负面考核的记录"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, covers: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if covers:
            self.fields["excused"].choices = sorted(covers.items())  # type: ignore[attr-defined]
        else:
            del self.fields["excused"]


class CaseForm(forms.Form):
    allegation = _text(_("被反映问题"), help_text=_("信访举报或误解的内容"))
    petitions = forms.IntegerField(
        label=_("信访件数"), min_value=0, max_value=MAX_PETITIONS, initial=0
    )
    source_ref = forms.CharField(
        label=_("来源"), max_length=80, required=False, help_text=_("如线索编号、来信编号")
    )


class VerifyForm(forms.Form):
    finding = forms.ChoiceField(
        label=_("核实结论"), choices=Finding.choices, widget=forms.RadioSelect
    )
    verification = _text(_("核实情况"))


class ClarifyForm(forms.Form):
    form = forms.ChoiceField(
        label=_("澄清方式"), choices=ClarificationForm.choices, widget=forms.RadioSelect
    )
    statement = _text(_("澄清内容"), help_text=_("公开通报时即为对外公布的通报正文"), rows=5)


class CloseForm(forms.Form):
    reason = _text(_("办结说明"), rows=3)


class ConsentForm(forms.Form):
    given_on = forms.DateField(
        label=_("本人书面同意日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=timezone.localdate,
    )
