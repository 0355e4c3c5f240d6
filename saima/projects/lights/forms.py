"""Forms of the lights pages: rules, computing a month, an exemption."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from saima.engine.progress import PRESETS

PRESET_LABELS = {
    "default": _("默认（滞后 10–30 个百分点黄灯，30 以上红灯）"),
    "yinchuan": _("银川（开工滞后当月黄灯，三个月后红灯）"),
    "songyang": _("松阳（月度目标未完成黄灯，季度未完成红灯）"),
    "mianyang": _("绵阳（骏马超季度目标 30%，蜗牛未按期开工或未完成季度目标）"),
    "ouhai": _("瓯海（追上进度当月仍亮黄灯）"),
}


class RulesForm(forms.Form):
    preset = forms.ChoiceField(
        label=_("从示例开始"),
        required=False,
        choices=[("", _("（不用示例，填写下方 TOML）"))]
        + [(code, PRESET_LABELS.get(code, code)) for code in PRESETS],
    )
    rules_toml = forms.CharField(
        label=_("规则（TOML）"), required=False, widget=forms.Textarea(attrs={"rows": 16})
    )
    reason = forms.CharField(
        label=_("修订理由"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not data.get("preset") and not str(data.get("rules_toml", "")).strip():
            raise forms.ValidationError(_("请选择示例或填写规则"))
        return data


class MonthForm(forms.Form):
    month = forms.IntegerField(label=_("月份"), min_value=1, max_value=12)
    reason = forms.CharField(label=_("重算理由"), required=False, max_length=500)


class ExemptionForm(forms.Form):
    project = forms.CharField(label=_("项目代码"), max_length=40)
    month = forms.IntegerField(label=_("月份"), min_value=1, max_value=12)
    reason = forms.CharField(
        label=_("不可抗力理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class QuarterForm(forms.Form):
    quarter = forms.IntegerField(label=_("季度"), min_value=1, max_value=4)
