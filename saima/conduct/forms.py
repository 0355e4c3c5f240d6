"""Forms of the clue intake, the verification steps, award rounds and rectification."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from saima.conduct.clues import MAX_EVIDENCE_FILES, ClueInput
from saima.conduct.models import DECISIONS, OFFICER_SOURCES, ClueStatus
from saima.org.models import Person, Unit


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Up to ``MAX_EVIDENCE_FILES`` pictures; their content is checked by the service."""

    widget = MultipleImageInput(attrs={"accept": "image/jpeg,image/png"})

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(EvidenceField, self).clean(f, initial) for f in files]


class UnitChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        depth = max(0, obj.path.count("/") - 2)
        return f"{'　' * depth}{obj.name}"


class PersonChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        position = f"（{obj.position}）" if obj.position else ""
        return f"{obj.unit.name} · {obj.name}{position}"


class ClueForm(forms.Form):
    """What a clue says; the public form and officers' entry share it."""

    unit = UnitChoice(label=_("反映哪个单位"), queryset=Unit.objects.order_by("path"))
    person = PersonChoice(
        label=_("反映哪位干部（可不选）"),
        queryset=Person.objects.select_related("unit").order_by("unit__path", "name"),
        required=False,
    )
    summary = forms.CharField(label=_("标题"), max_length=120)
    account = forms.CharField(
        label=_("反映的问题"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("发生了什么、在哪里、涉及哪些事项，尽量具体"),
    )
    happened = forms.CharField(
        label=_("大约什么时候"), max_length=60, required=False, help_text=_("如：2026年10月中旬")
    )
    anonymous = forms.TypedChoiceField(
        label=_("署名方式"),
        choices=[("1", _("匿名（只凭回执码查询进展）")), ("0", _("实名"))],
        coerce=lambda v: v == "1",
        initial="1",
        widget=forms.RadioSelect,
    )
    submitter_name = forms.CharField(label=_("姓名（实名时填写）"), max_length=60, required=False)
    submitter_contact = forms.CharField(
        label=_("联系方式（实名时填写）"), max_length=100, required=False
    )
    evidence = EvidenceField(
        label=_("证据图片（可不传）"),
        required=False,
        allow_empty_file=True,  # refused by the service, naming the file's place
        help_text=_(
            "最多 %(n)s 张 JPEG 或 PNG 图片，每张不超过 8 MB；上传后会重新生成图片，"
            "去掉拍摄时间、地点、设备等信息。文件请拍照或截图后上传。"
        )
        % {"n": MAX_EVIDENCE_FILES},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        person, unit = data.get("person"), data.get("unit")
        if person is not None and unit is not None and person.unit_id != unit.pk:
            self.add_error("person", _("被反映人不属于所选单位"))
        if data.get("anonymous") is False and not (data.get("submitter_name") or "").strip():
            self.add_error("submitter_name", _("实名反映请填写姓名，或选择匿名"))
        return data

    def clue_input(self) -> ClueInput:
        data = self.cleaned_data
        return ClueInput(
            unit=data["unit"],
            person=data.get("person"),
            summary=data["summary"],
            account=data["account"],
            happened=data.get("happened", ""),
            anonymous=bool(data["anonymous"]),
            submitter_name=data.get("submitter_name", ""),
            submitter_contact=data.get("submitter_contact", ""),
        )


class OfficerClueForm(ClueForm):
    source = forms.ChoiceField(
        label=_("线索来源"), choices=[(s.value, s.label) for s in OFFICER_SOURCES]
    )
    field_order = ["source"]

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["anonymous"].label = _("反映人是否匿名")


class ReceiptForm(forms.Form):
    receipt = forms.CharField(
        label=_("回执码"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class AnswerForm(ReceiptForm):
    answer = forms.CharField(
        label=_("您的答复"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )


class TextForm(forms.Form):
    text = forms.CharField(
        label=_("内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("核查结论"),
        choices=[(d.value, ClueStatus(d).label) for d in DECISIONS],
        widget=forms.RadioSelect,
    )
    findings = forms.CharField(
        label=_("事实与依据"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )


class RoundForm(forms.Form):
    owner = UnitChoice(label=_("评定范围"), queryset=Unit.objects.none())
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("季度"), choices=[(q, str(q)) for q in (1, 2, 3, 4)], coerce=int
    )

    def __init__(self, *args: Any, owners: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if owners is not None:
            self.fields["owner"].queryset = owners  # type: ignore[attr-defined]


class ConsequenceForm(forms.Form):
    reason = forms.CharField(label=_("事由（公开）"), max_length=300)
    points = forms.DecimalField(
        label=_("综合考核加减分"), max_digits=6, decimal_places=2, initial=0, required=False
    )
    bonus = forms.DecimalField(
        label=_("绩效奖金增减（元）"), max_digits=10, decimal_places=2, initial=0, required=False
    )


class VerifyForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("验收结论"),
        choices=[("1", _("通过，销号")), ("0", _("不通过，退回继续整改"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    opinion = forms.CharField(
        label=_("验收意见"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
