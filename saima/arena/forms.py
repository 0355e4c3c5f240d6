"""The organiser's forms: a contest and its settings, rubric lines, panels, contestants and
their pledge items, judges, conflicts, delivered values. Choices of units, people, panels and
contestants are limited to what the user may organise and to the contest at hand, so another
unit's id in a POST is refused as an invalid choice."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from saima.arena.models import (
    Conflict,
    Contest,
    Contestant,
    Criterion,
    JudgeSeat,
    Panel,
    PledgeItem,
    Series,
)
from saima.org.models import Person, Unit, User
from saima.org.permissions import units_organised_by

NUMBER = {"step": "any", "inputmode": "decimal"}


def _under(owner: Unit) -> Q:
    return Q(path__startswith=owner.path)


class ContestForm(forms.ModelForm[Contest]):
    class Meta:
        model = Contest
        fields = [
            "title",
            "date",
            "venue",
            "level",
            "owner",
            "series",
            "description",
            "method",
            "trim",
            "min_kept",
            "tiebreak",
            "outlier_below",
            "slot_minutes",
            "order_mode",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "outlier_below": forms.NumberInput(attrs=NUMBER),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = units_organised_by(user) if not user.is_superuser else Unit.objects.all()
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = units.exclude(level="department").order_by("path")
        series = self.fields["series"]
        assert isinstance(series, forms.ModelChoiceField)
        series.queryset = Series.objects.filter(owner__in=owner.queryset)
        if self.instance.pk:
            owner.disabled = True  # the organising unit of a contest does not change

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        series, owner = (
            data.get("series"),
            data.get("owner") or self.instance.owner_id and (self.instance.owner),
        )
        if series is not None and owner and series.owner_id != owner.pk:
            self.add_error("series", _("系列不属于此组织单位"))
        return data


class SeriesForm(forms.ModelForm[Series]):
    class Meta:
        model = Series
        fields = ["name", "owner", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = (
            units_organised_by(user) if not user.is_superuser else Unit.objects.all()
        ).exclude(level="department")


class ContestPartForm(forms.ModelForm[Any]):
    """A form for one object of ``contest``; ``contest`` fixes the choices."""

    def __init__(self, *args: Any, contest: Contest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.contest = contest
        if hasattr(self.instance, "contest_id") and not self.instance.contest_id:
            self.instance.contest = contest
        self.limit()

    def limit(self) -> None:
        pass

    def _choices(self, name: str, queryset: Any) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = queryset


class CriterionForm(ContestPartForm):
    class Meta:
        model = Criterion
        fields = ["name", "code", "maximum", "weight", "position"]
        widgets = {
            "maximum": forms.NumberInput(attrs=NUMBER),
            "weight": forms.NumberInput(attrs=NUMBER),
        }

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        taken = Criterion.objects.filter(contest=self.contest, code=code).exclude(
            pk=self.instance.pk
        )
        if taken.exists():
            raise forms.ValidationError(_("此代码已被使用"))
        return code


class PanelForm(ContestPartForm):
    class Meta:
        model = Panel
        fields = ["name", "code", "weight", "position"]
        widgets = {"weight": forms.NumberInput(attrs=NUMBER)}

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        taken = Panel.objects.filter(contest=self.contest, code=code).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("此代码已被使用"))
        return code


class ContestantForm(ContestPartForm):
    class Meta:
        model = Contestant
        fields = ["unit", "person", "topic"]

    def limit(self) -> None:
        units = Unit.objects.filter(_under(self.contest.owner)).order_by("path")
        self._choices("unit", units)
        self._choices("person", Person.objects.filter(unit__in=units).select_related("unit"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        unit, person = data.get("unit"), data.get("person")
        if unit is not None:
            taken = Contestant.objects.filter(contest=self.contest, unit=unit)
            if taken.exclude(pk=self.instance.pk).exists():
                self.add_error("unit", _("此单位已参赛"))
        if person is not None and unit is not None and person.unit_id != unit.pk:
            self.add_error("person", _("陈述人须为参赛单位的干部"))
        return data


class PledgeForm(forms.ModelForm[PledgeItem]):
    class Meta:
        model = PledgeItem
        fields = ["item", "target", "measure", "due"]
        widgets = {
            "target": forms.NumberInput(attrs=NUMBER),
            "due": forms.DateInput(attrs={"type": "date"}),
        }


class DeliveredForm(forms.Form):
    delivered = forms.DecimalField(
        label=_("实际完成"),
        max_digits=14,
        decimal_places=2,
        required=False,
        widget=forms.NumberInput(attrs=NUMBER),
    )
    note = forms.CharField(label=_("完成情况说明"), max_length=300, required=False)


class SeatForm(ContestPartForm):
    class Meta:
        model = JudgeSeat
        fields = ["name", "title", "unit", "panel", "person", "user", "position"]

    def limit(self) -> None:
        units = Unit.objects.filter(_under(self.contest.owner)).order_by("path")
        self._choices("unit", units)
        self._choices("panel", Panel.objects.filter(contest=self.contest))
        self._choices("person", Person.objects.filter(unit__in=units).select_related("unit"))
        self._choices("user", User.objects.filter(grants__role="judge").distinct())
        self.fields["user"].help_text = _("评委也可以用登录账号进入评分页（不需链接）")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("person", "user"):
            value = data.get(name)
            if value is not None:
                taken = JudgeSeat.objects.filter(contest=self.contest, **{name: value})
                if taken.exclude(pk=self.instance.pk).exists():
                    self.add_error(name, _("此人已是本场评委"))
        return data


class ConflictForm(forms.ModelForm[Conflict]):
    class Meta:
        model = Conflict
        fields = ["seat", "contestant", "reason"]

    def __init__(self, *args: Any, contest: Contest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.contest = contest
        seat = self.fields["seat"]
        contestant = self.fields["contestant"]
        assert isinstance(seat, forms.ModelChoiceField)
        assert isinstance(contestant, forms.ModelChoiceField)
        seat.queryset = JudgeSeat.objects.filter(contest=contest)
        contestant.queryset = Contestant.objects.filter(contest=contest).select_related("unit")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        seat, contestant = data.get("seat"), data.get("contestant")
        if (
            seat is not None
            and contestant is not None
            and Conflict.objects.filter(seat=seat, contestant=contestant).exists()
        ):
            raise forms.ValidationError(_("此回避已登记"))
        return data
