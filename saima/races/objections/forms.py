"""Forms of the objection pages (异议)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from saima.races.reporting.evidence import evidence_field


class ObjectionForm(forms.Form):
    reasons = forms.CharField(label=_("异议理由"), widget=forms.Textarea(attrs={"rows": 6}))
    evidence = evidence_field()


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("结论"),
        choices=[("upheld", _("异议成立")), ("rejected", _("异议不成立"))],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(label=_("书面答复"), widget=forms.Textarea(attrs={"rows": 6}))
