from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BulletinsConfig(AppConfig):
    name = "saima.bulletins"
    label = "bulletins"
    verbose_name = _("通报与表彰")

    def ready(self) -> None:
        from saima.bulletins.verification import published_files_problems
        from saima.core.actions import register_actions
        from saima.core.navigation import NavItem, register_nav
        from saima.core.verification import register_verifier

        register_actions(
            {
                "bulletins.create": _("起草通报"),
                "bulletins.edit": _("修改通报"),
                "bulletins.generate.start": _("开始生成通报"),
                "bulletins.generate": _("生成通报（新版本）"),
                "bulletins.publish": _("发布通报"),
            }
        )
        register_nav(NavItem(_("通报与表彰"), "bulletins:index", lambda user: True, order=60))
        register_verifier(
            "bulletins.files", published_files_problems, _("已发布通报的 PDF/DOCX 文件（摘要）")
        )
