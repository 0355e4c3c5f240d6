"""Units of government, peer groups, people (cadres), users and their roles.

单位 (unit): province > city (设区市) > county (区/县/市) > town (乡镇/街道), and departments
(部门) at any level. Each unit keeps a materialised ``path`` ("/33/3301/330102/") so that
"is this unit inside that organiser's scope" is a string prefix test, with no extra query.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("设区市")
    COUNTY = "county", _("县（市、区）")
    TOWN = "town", _("乡镇（街道）")
    DEPARTMENT = "department", _("部门")


class Unit(models.Model):
    code = models.CharField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    name_en = models.CharField(_("英文名称"), max_length=100, blank=True)
    level = models.CharField(_("层级"), max_length=16, choices=UnitLevel.choices)
    kind = models.CharField(
        _("类别"), max_length=16, blank=True, help_text=_("如 区、县、市、镇、街道")
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)
    is_mountain_county = models.BooleanField(_("山区26县"), default=False)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def is_within(self, scope: Unit) -> bool:
        """True when this unit is ``scope`` itself or lies in its subtree."""
        return self.path.startswith(scope.path)


class PeerGroup(models.Model):
    """A named set of units that compete with each other (设区市; 县(市、区); 山区26县 …)."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    owner = models.ForeignKey(
        Unit, verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="owned_groups"
    )
    members = models.ManyToManyField(
        Unit, verbose_name=_("成员"), related_name="peer_groups", blank=True
    )

    class Meta:
        verbose_name = _("同类组")
        verbose_name_plural = _("同类组")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """A cadre (干部)."""

    name = models.CharField(_("姓名"), max_length=60)
    position = models.CharField(_("职务"), max_length=100, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="people"
    )
    frontline = models.BooleanField(
        _("一线干部"), default=False, help_text=_("在一线攻坚的干部（澄清正名时优先）")
    )

    class Meta:
        verbose_name = _("干部")
        verbose_name_plural = _("干部")
        ordering = ["unit__path", "name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.position}）" if self.position else self.name


class User(AbstractUser):
    display_name = models.CharField(_("显示名称"), max_length=60, blank=True)
    person = models.OneToOneField(
        Person,
        verbose_name=_("干部"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username


class Role(models.TextChoices):
    ORGANISER = "organiser", _("组织者")
    REPORTER = "reporter", _("填报员")
    JUDGE = "judge", _("评委")
    DISCIPLINE = "discipline", _("纪检监察")
    VIEWER = "viewer", _("观察员")


class RoleGrant(models.Model):
    """A role held by a user over a unit.

    organiser and discipline officer: the unit and its whole subtree; reporter: that one unit;
    judge and viewer: the unit names where they belong (judges are seated per event).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="grants"
    )

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], name="org_rolegrant_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"
