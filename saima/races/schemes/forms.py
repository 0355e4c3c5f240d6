"""The forms of the structured scheme editor (方案编辑器): the method, and one row form each for
sections, groups and indicators. Each row knows its 1-based position (``row``) so messages can
name it; checks across rows and against the engine are ``editor.SchemeEditor``'s. Beside them,
the forms that create a race and edit its settings, and the raw TOML panel.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from saima.org.models import Unit
from saima.races.models import Cadence, Race
from saima.races.schemes.services import RACE_SETTINGS
from saima.races.schemes.templates import TEMPLATES

NUMBER = {"step": "any", "inputmode": "decimal"}
CODE_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")

NORMALISE = [
    (
        "minmax",
        gettext_lazy("极差标准化"),
        gettext_lazy("组内最好者得 1、最差者得 0，其余按差距线性折算"),
    ),
    ("zscore", gettext_lazy("Z 分数"), gettext_lazy("与组内平均值相差几个标准差；对极端值较敏感")),
    ("rank", gettext_lazy("名次"), gettext_lazy("只看组内名次先后，不看差距大小")),
    (
        "target",
        gettext_lazy("目标值完成率"),
        gettext_lazy("完成目标值的比例，最高计满分；须为每项指标填目标值"),
    ),
    (
        "vector",
        gettext_lazy("向量归一化"),
        gettext_lazy("除以组内各单位数值平方和的平方根，常与 TOPSIS 配合"),
    ),
]
WEIGHTING = [
    ("fixed", gettext_lazy("固定权重"), gettext_lazy("按下表填写的权重计算")),
    ("equal", gettext_lazy("等权"), gettext_lazy("每项指标权重相同（板块权重仍然有效）")),
    (
        "entropy",
        gettext_lazy("熵权法"),
        gettext_lazy("数据差异越大的指标权重越高，计算时由数据决定"),
    ),
    (
        "critic",
        gettext_lazy("CRITIC 法"),
        gettext_lazy("兼顾数据差异和指标间的相关性，计算时由数据决定"),
    ),
    (
        "ahp",
        gettext_lazy("层次分析法"),
        gettext_lazy("由两两比较的判断矩阵得出；矩阵请在下方高级面板中编辑"),
    ),
]
AGGREGATE = [
    (
        "arithmetic",
        gettext_lazy("加权算术平均"),
        gettext_lazy("各项得分按权重相加，强项可以弥补弱项"),
    ),
    ("geometric", gettext_lazy("加权几何平均"), gettext_lazy("短板影响更大，强项难以弥补弱项")),
    ("topsis", gettext_lazy("TOPSIS 法"), gettext_lazy("离最优越近、离最差越远，得分越高")),
]
MISSING = [
    ("reject", gettext_lazy("不允许缺失"), gettext_lazy("有单位缺数时不能计算，须先补齐")),
    (
        "reweight",
        gettext_lazy("重新分配权重"),
        gettext_lazy("缺失指标的权重按比例分给该单位的其余指标"),
    ),
    ("group_mean", gettext_lazy("组均值填补"), gettext_lazy("以同组其他单位的平均值代替缺失值")),
]
SCOPE = [
    ("group", gettext_lazy("同类组内"), gettext_lazy("在各同类组内分别标准化（推荐）")),
    ("all", gettext_lazy("全体单位"), gettext_lazy("所有单位放在一起标准化")),
]
DIRECTIONS = [("higher", gettext_lazy("越高越好")), ("lower", gettext_lazy("越低越好"))]


class ExplainedSelect(forms.Select):
    """A select whose options carry a one-line explanation (``data-help``) the page shows."""

    def __init__(self, explained: list[tuple[str, Any, Any]]) -> None:
        super().__init__(attrs={"data-explained": "1"})
        self.help = {value: help_text for value, _label, help_text in explained}

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        option["attrs"]["data-help"] = str(self.help.get(value, ""))
        return option


def explained_choice(label: Any, explained: list[tuple[str, Any, Any]]) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=[
            (value, format_lazy(gettext_lazy("{name}（{code}）"), name=name, code=value))
            for value, name, _help in explained
        ],
        widget=ExplainedSelect(explained),
    )


class MethodForm(forms.Form):
    """The scheme's name, method, 红黑榜 sizes and robustness setting."""

    name = forms.CharField(label=gettext_lazy("方案名称"), max_length=200)
    normalise = explained_choice(gettext_lazy("标准化"), NORMALISE)
    weighting = explained_choice(gettext_lazy("权重方法"), WEIGHTING)
    aggregate = explained_choice(gettext_lazy("合成方法"), AGGREGATE)
    missing = explained_choice(gettext_lazy("缺失值"), MISSING)
    scope = explained_choice(gettext_lazy("比较范围"), SCOPE)
    winsorise = forms.FloatField(
        label=gettext_lazy("缩尾比例"),
        min_value=0,
        max_value=0.49,
        help_text=gettext_lazy("0 为不缩尾；0.05 表示把两端各 5% 的极端值拉回到分位点"),
        widget=forms.NumberInput(attrs=NUMBER),
    )
    list_top = forms.IntegerField(
        label=gettext_lazy("红榜人数"),
        min_value=0,
        help_text=gettext_lazy("每组前 N 名上红榜，0 为不设"),
    )
    list_bottom = forms.IntegerField(
        label=gettext_lazy("黑榜人数"),
        min_value=0,
        help_text=gettext_lazy("每组后 N 名上黑榜，0 为不设"),
    )
    concentration = forms.FloatField(
        label=gettext_lazy("稳健性集中度"),
        help_text=gettext_lazy("稳健性分析中权重随机扰动的集中程度：越大扰动越小，默认 50"),
        widget=forms.NumberInput(attrs=NUMBER),
    )

    unreported_treatment = forms.ChoiceField(
        label=gettext_lazy("未填报单位"),
        required=False,
        choices=[
            ("listed", gettext_lazy("不参加排名，列在榜单下方")),
            ("last", gettext_lazy("排在所有已报送单位之后（并列末位）")),
        ],
        help_text=gettext_lazy("截至计算时仍未报送数据（未填报、草稿、已退回）的单位如何处理"),
    )
    unreported_black_list = forms.ChoiceField(
        label=gettext_lazy("未填报单位列入黑榜"),
        required=False,
        choices=[("yes", gettext_lazy("列入")), ("no", gettext_lazy("不列入"))],
        help_text=gettext_lazy("默认列入：不报送不能成为躲避黑榜的办法"),
    )

    def clean_concentration(self) -> float:
        value = self.cleaned_data["concentration"]
        if not value > 0:
            raise forms.ValidationError(_("须大于 0"))
        return float(value)


class RowForm(forms.Form):
    """A row of a table; ``row`` is its 1-based position as the organiser sees it."""

    def __init__(self, *args: Any, row: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.row = row
        for field in self.fields.values():
            label = str(field.label)
            if row:
                label = _("%(label)s（第%(row)s行）") % {"label": label, "row": row}
            field.widget.attrs["aria-label"] = label


def positive(value: float | None) -> float | None:
    if value is not None and not value > 0:
        raise forms.ValidationError(_("须大于 0"))
    return value


class SectionForm(RowForm):
    code = forms.CharField(max_length=60, widget=forms.HiddenInput)
    name = forms.CharField(label=gettext_lazy("板块名称"), max_length=100)
    weight = forms.FloatField(
        label=gettext_lazy("板块权重"),
        required=False,
        widget=forms.NumberInput(attrs={**NUMBER, "placeholder": gettext_lazy("可不填")}),
    )

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"].strip()
        if not CODE_PATTERN.match(code):
            raise forms.ValidationError(_("代码须以字母开头，只含字母、数字、下划线和连字符"))
        return code

    def clean_weight(self) -> float | None:
        return positive(self.cleaned_data.get("weight"))


class GroupForm(RowForm):
    code = forms.CharField(label=gettext_lazy("分组代码"), disabled=True)
    name = forms.CharField(label=gettext_lazy("分组名称"), max_length=100)
    quota = forms.IntegerField(label=gettext_lazy("名额"), min_value=0)

    def __init__(self, *args: Any, sizes: dict[str, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.size = sizes.get(self.initial.get("code", ""))

    def clean_quota(self) -> int:
        quota = int(self.cleaned_data["quota"])
        if self.size is not None and quota > self.size:
            raise forms.ValidationError(
                _("名额 %(quota)s 超过该组单位数 %(size)s") % {"quota": quota, "size": self.size}
            )
        return quota


class IndicatorForm(RowForm):
    name = forms.CharField(label=gettext_lazy("名称"), max_length=100)
    code = forms.CharField(
        label=gettext_lazy("代码"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("留空自动生成")}),
    )
    section = forms.CharField(label=gettext_lazy("板块"), widget=forms.Select)
    direction = forms.ChoiceField(label=gettext_lazy("方向"), choices=DIRECTIONS)
    unit = forms.CharField(label=gettext_lazy("计量单位"), max_length=20, required=False)
    weight = forms.FloatField(
        label=gettext_lazy("权重"), required=False, widget=forms.NumberInput(attrs=NUMBER)
    )
    target = forms.FloatField(
        label=gettext_lazy("目标值"), required=False, widget=forms.NumberInput(attrs=NUMBER)
    )
    min = forms.FloatField(
        label=gettext_lazy("最小值"), required=False, widget=forms.NumberInput(attrs=NUMBER)
    )
    max = forms.FloatField(
        label=gettext_lazy("最大值"), required=False, widget=forms.NumberInput(attrs=NUMBER)
    )
    integer = forms.BooleanField(label=gettext_lazy("整数"), required=False)
    help = forms.CharField(label=gettext_lazy("说明"), max_length=300, required=False)

    def __init__(
        self, *args: Any, locked: bool = False, sections: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].widget.choices = sections
        if locked and self.initial.get("code"):
            self.fields["code"].disabled = True
            self.fields["code"].help_text = _("已有填报数据，代码不能修改")

    def clean_code(self) -> str:
        code = (self.cleaned_data.get("code") or "").strip()
        if code and not CODE_PATTERN.match(code):
            raise forms.ValidationError(_("代码须以字母开头，只含字母、数字、下划线和连字符"))
        return code

    def clean_weight(self) -> float | None:
        return positive(self.cleaned_data.get("weight"))

    def clean_target(self) -> float | None:
        return positive(self.cleaned_data.get("target"))

    def clean_max(self) -> float | None:
        low, high = self.cleaned_data.get("min"), self.cleaned_data.get("max")
        if low is not None and high is not None and low > high:
            raise forms.ValidationError(
                _("最大值 %(high)g 小于最小值 %(low)g") % {"high": high, "low": low}
            )
        return high


# django-stubs makes these generic; Django's classes are not subscriptable at run time.
if TYPE_CHECKING:
    _RowFormSetBase = forms.BaseFormSet[RowForm]
    _RaceModelForm = forms.ModelForm[Race]
else:
    _RowFormSetBase = forms.BaseFormSet
    _RaceModelForm = forms.ModelForm


class RowFormSet(_RowFormSetBase):
    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        kwargs = super().get_form_kwargs(index)
        kwargs["row"] = 0 if index is None else index + 1
        return kwargs


SectionFormSet = forms.formset_factory(SectionForm, formset=RowFormSet, extra=0, can_delete=True)
GroupFormSet = forms.formset_factory(GroupForm, formset=RowFormSet, extra=0)
IndicatorFormSet = forms.formset_factory(
    IndicatorForm, formset=RowFormSet, extra=0, can_delete=True
)


# ---------------------------------------------------------------- races and their settings

SETTINGS_FIELDS = list(RACE_SETTINGS)


class RaceCreateForm(forms.Form):
    owner = forms.ModelChoiceField(queryset=Unit.objects.none(), label=gettext_lazy("组织单位"))
    code = forms.SlugField(
        label=gettext_lazy("代码"),
        max_length=60,
        help_text=gettext_lazy("英文字母、数字和连字符，用于网址，如 zj-investment"),
    )
    name = forms.CharField(label=gettext_lazy("名称"), max_length=120)
    cadence = forms.ChoiceField(
        label=gettext_lazy("周期"), choices=Cadence.choices, initial=Cadence.QUARTER
    )
    template = forms.ChoiceField(
        label=gettext_lazy("方案来源"),
        required=False,
        choices=[("", gettext_lazy("上传或粘贴 TOML 方案"))]
        + [(t.key, t.title) for t in TEMPLATES],
    )
    scheme_file = forms.FileField(label=gettext_lazy("方案文件（.toml）"), required=False)
    scheme_text = forms.CharField(
        label=gettext_lazy("或直接粘贴方案"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def __init__(self, *args: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = owners

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("scheme_file")
        if upload is not None:
            if upload.size > 512 * 1024:
                raise forms.ValidationError(gettext_lazy("方案文件不能超过 512 KB"))
            try:
                data["scheme_text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise forms.ValidationError(gettext_lazy("方案文件须为 UTF-8 编码")) from exc
        if not data.get("template") and not (data.get("scheme_text") or "").strip():
            raise forms.ValidationError(gettext_lazy("请选择模板，或上传/粘贴一个 TOML 方案"))
        return data


class RaceSettingsForm(_RaceModelForm):
    """The race's own settings; the scheme is edited beside it (``scheme_editor``)."""

    reason = forms.CharField(
        label=gettext_lazy("修改说明"),
        required=False,
        max_length=500,
        help_text=gettext_lazy("修改方案时必填，与修改前后的内容一起记入操作日志"),
    )

    class Meta:
        model = Race
        fields = SETTINGS_FIELDS


class SchemeTomlForm(forms.Form):
    """The advanced panel: the whole scheme as TOML text, for those who know the format."""

    scheme_toml = forms.CharField(
        label=gettext_lazy("方案（TOML）"),
        widget=forms.Textarea(attrs={"rows": 24, "class": "code"}),
    )
    reason = forms.CharField(
        label=gettext_lazy("修改说明"),
        max_length=500,
        help_text=gettext_lazy("与修改前后的内容一起记入操作日志"),
    )
