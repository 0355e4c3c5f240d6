"""The demo's API tokens: the reporter of 遂昌县 has one in use by the county's statistics system
and one revoked, so the token page shows both states; any login with a role can make more.

The secrets are random and never printed: a token is shown once, to whoever makes it.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F
from django.utils import timezone

from saima.api import services
from saima.api.models import ApiToken
from saima.core.demo import DemoContext
from saima.org.models import Role, User
from saima.org.permissions import grants_of


def load(ctx: DemoContext) -> None:
    reporter = User.objects.filter(username="reporter").first()
    if reporter is None or ApiToken.objects.filter(user=reporter).exists():
        return
    unit = next(g.unit for g in grants_of(reporter) if g.role == Role.REPORTER)
    old = services.token_create(
        actor=reporter, unit=unit, roles=[Role.REPORTER], name="旧版报送脚本", days=90
    ).token
    services.token_revoke(actor=reporter, token=old, reason="改用统计报送系统对接")
    used = services.token_create(
        actor=reporter, unit=unit, roles=[Role.REPORTER], name="县统计报送系统对接", days=365
    ).token
    ApiToken.objects.filter(pk=used.pk).update(
        use_count=F("use_count") + 42, last_used_at=timezone.now() - dt.timedelta(hours=3)
    )
    ctx.say(f"API tokens: 2 for {unit.name}'s reporter (one in use, one revoked)")
