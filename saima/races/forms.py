"""Forms of the races pages. Validation of meaning (schemes, values) is the services' job; these
forms check shape and turn the request into service arguments."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from saima.engine import Scheme
from saima.org.models import Unit
from saima.races.models import Cadence, Race
from saima.races.schemes import TEMPLATES
from saima.races.services import RACE_SETTINGS

SETTINGS_FIELDS = list(RACE_SETTINGS)


class RaceCreateForm(forms.Form):
    owner = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("组织单位"))
    code = forms.SlugField(
        label=_("代码"),
        max_length=60,
        help_text=_("英文字母、数字和连字符，用于网址，如 zj-investment"),
    )
    name = forms.CharField(label=_("名称"), max_length=120)
    cadence = forms.ChoiceField(label=_("周期"), choices=Cadence.choices, initial=Cadence.QUARTER)
    template = forms.ChoiceField(
        label=_("方案来源"),
        required=False,
        choices=[("", _("上传或粘贴 TOML 方案"))] + [(t.key, t.title) for t in TEMPLATES],
    )
    scheme_file = forms.FileField(label=_("方案文件（.toml）"), required=False)
    scheme_text = forms.CharField(
        label=_("或直接粘贴方案"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )

    def __init__(self, *args: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        upload = data.get("scheme_file")
        if upload is not None:
            if upload.size > 512 * 1024:
                raise forms.ValidationError(_("方案文件不能超过 512 KB"))
            try:
                data["scheme_text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise forms.ValidationError(_("方案文件须为 UTF-8 编码")) from exc
        if not data.get("template") and not (data.get("scheme_text") or "").strip():
            raise forms.ValidationError(_("请选择模板，或上传/粘贴一个 TOML 方案"))
        return data


class RaceSettingsForm(forms.ModelForm):
    """The race's own settings; the scheme is edited beside it (``scheme_editor``)."""

    reason = forms.CharField(
        label=_("修改说明"),
        required=False,
        max_length=500,
        help_text=_("修改方案时必填，与修改前后的内容一起记入操作日志"),
    )

    class Meta:
        model = Race
        fields = SETTINGS_FIELDS


class SchemeTomlForm(forms.Form):
    """The advanced panel: the whole scheme as TOML text, for those who know the format."""

    scheme_toml = forms.CharField(
        label=_("方案（TOML）"), widget=forms.Textarea(attrs={"rows": 24, "class": "code"})
    )
    reason = forms.CharField(
        label=_("修改说明"),
        max_length=500,
        help_text=_("与修改前后的内容一起记入操作日志"),
    )


class PeriodOpenForm(forms.Form):
    year = forms.IntegerField(label=_("年份"), min_value=2000, max_value=2100)
    number = forms.IntegerField(
        label=_("季度/月份"),
        min_value=0,
        max_value=12,
        help_text=_("季度赛马填 1–4，月度填 1–12，年度填 0"),
    )
    deadline = forms.DateTimeField(
        label=_("填报截止时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )

    def clean_deadline(self) -> Any:
        deadline = self.cleaned_data["deadline"]
        if deadline <= timezone.now():
            raise forms.ValidationError(_("截止时间必须晚于现在"))
        return deadline


class DeadlineForm(forms.Form):
    deadline = forms.DateTimeField(
        label=_("新的截止时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


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
        data = super().clean()
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


class ComputeForm(forms.Form):
    reason = forms.CharField(
        label=_("更正原因（结果发布后重新计算时必填）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ObjectionForm(forms.Form):
    reasons = forms.CharField(label=_("异议理由"), widget=forms.Textarea(attrs={"rows": 6}))
    evidence = forms.FileField(label=_("佐证材料"), required=False)


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("结论"),
        choices=[("upheld", _("异议成立")), ("rejected", _("异议不成立"))],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(label=_("书面答复"), widget=forms.Textarea(attrs={"rows": 6}))
