from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from saima.core.demo import load_demo


class Command(BaseCommand):
    help = "Load (or refresh) the demo province: Zhejiang's units, users per role, and each app's data."

    def handle(self, *args: Any, **options: Any) -> None:
        ctx = load_demo(lambda line: self.stdout.write(f"  · {line}"))
        width = max((len(login.username) for login in ctx.logins), default=8)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Saima demo is ready — http://127.0.0.1:8000"))
        self.stdout.write("Logins (one per role):")
        for login in ctx.logins:
            self.stdout.write(
                f"  {login.username:<{width}}  password: {login.password}   {login.role} · {login.scope}"
            )
