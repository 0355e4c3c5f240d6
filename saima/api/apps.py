from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "api.token.create": _("创建 API 令牌"),
    "api.token.revoke": _("吊销 API 令牌"),
    "api.write": _("通过 API 写入"),
}


class ApiConfig(AppConfig):
    name = "saima.api"
    label = "api"
    verbose_name = _("数据接口")

    def ready(self) -> None:
        from saima.api.permissions import may_hold_tokens
        from saima.core.actions import register_actions
        from saima.core.navigation import NavItem, register_nav

        register_actions(ACTION_LABELS)
        register_nav(NavItem(_("API 令牌"), "api:tokens", may_hold_tokens, order=85))
