"""The demo gives the reporter a token in use and a revoked one, once however often it runs."""

from __future__ import annotations

from saima.api import demo
from saima.api.models import ApiToken
from saima.core.demo import DemoContext
from saima.org.models import Role
from tests.factories import user_with_role


def test_the_demo_gives_the_reporter_two_tokens_once(small_province):
    reporter = user_with_role(Role.REPORTER, small_province.county_b1, "reporter")
    said: list[str] = []
    for _ in range(2):
        demo.load(DemoContext(say=said.append))
    tokens = ApiToken.objects.filter(user=reporter)
    assert sorted((t.name, t.revoked, t.use_count) for t in tokens) == [
        ("县统计报送系统对接", False, 42),
        ("旧版报送脚本", True, 0),
    ]
    assert len(said) == 1 and "缙云县" in said[0]
