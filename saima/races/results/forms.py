"""Forms of the result pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ComputeForm(forms.Form):
    reason = forms.CharField(
        label=_("更正原因（结果发布后重新计算时必填）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
