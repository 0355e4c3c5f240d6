from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from saima.bulletins.models import Bulletin, BulletinKind
from saima.org.models import Unit

HEADER = [
    "issuer",
    "doc_number",
    "title",
    "addressees",
    "lead",
    "closing",
    "issue_date",
    "copies_to",
]
_WIDGETS = {
    "lead": forms.Textarea(attrs={"rows": 4}),
    "closing": forms.Textarea(attrs={"rows": 3}),
    "issue_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
}
_HELP = {
    "doc_number": _("如 浙发改〔2026〕12号"),
    "title": _("留空则按期次自动拟定"),
    "addressees": _("如 各设区市发展改革委，省级有关单位"),
    "lead": _("正文开头的一段话；每行一段"),
    "closing": _("正文结尾的要求、号召；每行一段"),
}


class BulletinNewForm(forms.ModelForm[Bulletin]):
    class Meta:
        model = Bulletin
        fields = ["owner", "kind", "year", "quarter", *HEADER]
        widgets = _WIDGETS
        help_texts = _HELP

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = units if units is not None else Unit.objects.none()
        self.fields["title"].required = False
        self.fields["quarter"].widget = forms.Select(
            choices=[("", "—"), *[(q, _("第%(n)s季度") % {"n": q}) for q in range(1, 5)]]
        )
        today = timezone.localdate()
        self.initial.setdefault("year", today.year)
        self.initial.setdefault("quarter", (today.month - 1) // 3 + 1)
        self.initial.setdefault("kind", BulletinKind.QUARTERLY)
        self.initial.setdefault("issue_date", today)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == BulletinKind.QUARTERLY and not data.get("quarter"):
            self.add_error("quarter", _("季度通报须选择季度"))
        year = data.get("year")
        if year is not None and not 2000 <= year <= 2100:
            self.add_error("year", _("年度应在 2000–2100 之间"))
        return data

    def validate_unique(self) -> None:  # the service says it in words, naming the unit
        pass

    def _post_clean(self) -> None:
        # the service builds the row (and checks the constraints) — the form only validates fields
        pass


class BulletinEditForm(forms.ModelForm[Bulletin]):
    class Meta:
        model = Bulletin
        fields = HEADER
        widgets = _WIDGETS
        help_texts = _HELP
