"""Forms of the register and reporting pages. They check shape and turn the request into
service arguments; the rules of meaning (bounds against last month, states) are the services'."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from saima.core.tabular.importing import translated
from saima.core.tabular.numbers import parse_number
from saima.core.tabular.problems import CellError
from saima.core.widgets import DateTimeLocalInput
from saima.org.models import Unit
from saima.projects.models import PLAN_FIELDS, Category, Milestone
from saima.projects.photos import MAX_PHOTOS_PER_REPORT
from saima.projects.reporting import ReportInput

CENT = Decimal("0.01")


class PlainDecimalField(forms.DecimalField):
    """A number read by the imports' rules (one parser): ``12,8`` and full-width digits are
    refused naming the value, never guessed."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]  # stubs: int
        if value in self.empty_values:
            return None
        try:
            number = parse_number(str(value))
        except CellError as exc:
            raise forms.ValidationError(translated(exc.problem), code="invalid") from exc
        return None if number is None else Decimal(repr(number)).quantize(CENT)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png"})

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_PHOTOS_PER_REPORT:
            raise forms.ValidationError(
                _("每次最多上传 %(n)s 张照片") % {"n": MAX_PHOTOS_PER_REPORT}
            )
        return [super(PhotosField, self).clean(f, initial) for f in files]


class ReportForm(forms.Form):
    """A month's report (月度填报)."""

    cumulative_investment = PlainDecimalField(
        label=_("本年累计完成投资（万元）"),
        min_value=Decimal("0"),
        max_digits=14,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    physical_progress = PlainDecimalField(
        label=_("形象进度（%）"),
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        max_digits=5,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("占项目全部工程量的百分比，0–100"),
    )
    progress_note = forms.CharField(
        label=_("本月进展"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    problems = forms.CharField(
        label=_("需协调解决的问题"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    problems_public = forms.BooleanField(
        label=_("问题可向公众公开"), required=False, help_text=_("不勾选则仅主管部门可见")
    )
    correction_reason = forms.CharField(
        label=_("累计投资下调说明"),
        required=False,
        max_length=500,
        help_text=_("本年累计完成投资低于上月已报数时必填"),
    )
    photos = PhotosField(
        label=_("现场照片"),
        required=False,
        help_text=_("JPEG 或 PNG，每张不超过 8 MB；上传后自动去除位置等 EXIF 信息"),
    )
    photo_caption = forms.CharField(
        label=_("照片说明"),
        required=False,
        max_length=200,
        help_text=_("如：主体结构封顶、设备进场"),
    )
    reason = forms.CharField(
        label=_("更正理由"),
        required=False,
        max_length=500,
        help_text=_("更正已报送的数据时必填"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, label in Milestone.choices:
            self.fields[f"milestone_{code}"] = forms.DateField(
                label=_("%(m)s日期") % {"m": label},
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
            )

    def report_input(self) -> ReportInput:
        data = self.cleaned_data
        return ReportInput(
            cumulative_investment=data["cumulative_investment"],
            physical_progress=data["physical_progress"],
            progress_note=data["progress_note"],
            problems=data["problems"],
            problems_public=data["problems_public"],
            correction_reason=data["correction_reason"],
            milestones={
                code: data[f"milestone_{code}"]
                for code in Milestone.values
                if data.get(f"milestone_{code}")
            },
        )

    def milestone_fields(self) -> list[forms.BoundField]:
        return [self[f"milestone_{code}"] for code in Milestone.values]


class ReasonForm(forms.Form):
    project = forms.CharField(label=_("项目代码"), max_length=40)
    reason = forms.CharField(
        label=_("理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("文件（.xlsx 或 .csv）"))
    month = forms.TypedChoiceField(
        label=_("填报月份"),
        coerce=int,
        required=False,
        choices=[(m, _("%(m)s月") % {"m": m}) for m in range(1, 13)],
    )


class DeadlineForm(forms.Form):
    month = forms.IntegerField(label=_("月份"), min_value=1, max_value=12)
    due = forms.DateTimeField(label=_("新的截止时间"), widget=DateTimeLocalInput())


class ListForm(forms.Form):
    code = forms.SlugField(label=_("清单代码"), max_length=60)
    name = forms.CharField(label=_("清单名称"), max_length=120)
    owner = forms.ModelChoiceField(label=_("组织单位"), queryset=Unit.objects.none())
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    report_day = forms.IntegerField(label=_("每月填报截止日"), min_value=1, max_value=28, initial=5)
    description = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, owners: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner_field = self.fields["owner"]
        assert isinstance(owner_field, forms.ModelChoiceField)
        owner_field.queryset = owners if owners is not None else Unit.objects.none()


class ProjectForm(forms.Form):
    """A project's register values and its plan for one year (项目信息与年度计划)."""

    name = forms.CharField(label=_("项目名称"), max_length=200)
    category = forms.ChoiceField(label=_("类别"), choices=Category.choices)
    total_investment = PlainDecimalField(
        label=_("总投资（万元）"), min_value=Decimal("0"), max_digits=14, decimal_places=2
    )
    leader_name = forms.CharField(label=_("责任领导"), max_length=60, required=False)
    contact_name = forms.CharField(label=_("联系人"), max_length=60, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=40, required=False)
    description = forms.CharField(
        label=_("建设内容"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    site_private = forms.BooleanField(label=_("场地不公开"), required=False)
    invested_before = PlainDecimalField(
        label=_("以前年度累计完成投资（万元）"),
        min_value=Decimal("0"),
        max_digits=14,
        decimal_places=2,
    )
    reason = forms.CharField(label=_("修改理由"), max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for month, field in enumerate(PLAN_FIELDS, start=1):
            self.fields[field] = PlainDecimalField(
                label=_("%(m)s月计划投资") % {"m": month},
                min_value=Decimal("0"),
                max_digits=14,
                decimal_places=2,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 8}),
            )
        for code, label in Milestone.choices:
            self.fields[f"planned_{code}"] = forms.DateField(
                label=_("计划%(m)s日期") % {"m": label},
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
            )

    def plan_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in PLAN_FIELDS]

    def date_fields(self) -> list[forms.BoundField]:
        return [self[f"planned_{code}"] for code in Milestone.values]

    def register_fields(self) -> list[forms.BoundField]:
        names = ("name", "category", "total_investment", "leader_name", "contact_name")
        more = ("contact_phone", "description", "site_private", "invested_before")
        return [self[name] for name in (*names, *more)]
