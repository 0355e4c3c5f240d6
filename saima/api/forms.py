"""The form of a new API token: what it is for, its unit, its roles, how long it lives."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from saima.api.permissions import token_roles_for, units_for_tokens
from saima.org.models import Role, Unit
from saima.org.permissions import AnyUser, grants_of

LIFETIMES = [(30, _("30 天")), (90, _("90 天")), (180, _("180 天")), (365, _("一年"))]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("用途"),
        max_length=60,
        help_text=_("如：统计报送系统对接。便于日后认出和吊销。"),
    )
    unit: forms.ModelChoiceField[Unit] = forms.ModelChoiceField(
        label=_("限定单位"), queryset=Unit.objects.none(), to_field_name="code"
    )
    roles = forms.MultipleChoiceField(
        label=_("角色"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("令牌只带所选角色，且不超过你本人在该单位的角色。"),
    )
    days = forms.TypedChoiceField(label=_("有效期"), choices=LIFETIMES, coerce=int, initial=90)

    def __init__(self, *args: Any, user: AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        units = units_for_tokens(user)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = units
        held = {grant.role for grant in grants_of(user)}
        roles_field = self.fields["roles"]
        assert isinstance(roles_field, forms.MultipleChoiceField)
        roles_field.choices = [(r.value, r.label) for r in Role if r.value in held]
        if len(roles_field.choices) == 1:
            roles_field.initial = [roles_field.choices[0][0]]
        own = [g.unit for g in grants_of(user)]
        if own:
            unit_field.initial = own[0].code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        unit, roles = data.get("unit"), data.get("roles")
        if unit is not None and roles:
            allowed = set(token_roles_for(self.user, unit))
            refused = [str(Role(r).label) for r in roles if r not in allowed]
            if refused:
                self.add_error(
                    "roles",
                    _("你在%(unit)s没有这些角色：%(roles)s")
                    % {"unit": unit.name, "roles": "、".join(refused)},
                )
        return data
