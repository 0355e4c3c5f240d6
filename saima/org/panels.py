"""The home page's "我的职责" panel: what each of the user's roles lets them do, and where."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from saima.org.models import Role
from saima.org.permissions import grants_of, is_superuser

ROLE_DUTIES = {
    Role.ORGANISER: _(
        "在{unit}及其下级单位组织赛马：制定方案、开启填报期、审核数据、计算并发布结果、答复异议。"
    ),
    Role.REPORTER: _("为{unit}按期填报指标数据并上传佐证材料；被退回的数据修改后重新提交。"),
    Role.JUDGE: _("在{unit}组织的擂台赛中，被安排到评委席后现场评分。"),
    Role.DISCIPLINE: _("在{unit}及其下级单位核查线索、办理容错与澄清正名事项，查阅审计日志。"),
    Role.VIEWER: _(
        "查看{unit}及其下级单位组织的赛马的填报进度和各单位报送的数据（含未公开的），只读；"
        "计算结果在发布后可见。"
    ),
}


def scope_context(request: HttpRequest) -> dict[str, Any]:
    duties = [
        {
            "role": grant.get_role_display(),
            "unit": grant.unit,
            "text": str(ROLE_DUTIES[Role(grant.role)]).format(unit=grant.unit.name),
        }
        for grant in grants_of(request.user)
    ]
    return {"duties": duties, "superuser": request.user.is_superuser}


def has_any_role(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False) and (is_superuser(user) or grants_of(user))
    )
