"""The demo province, assembled from each app's ``demo.py``.

Every app that has a part of the demo defines ``saima/<app>/demo.py`` with
``def load(ctx: DemoContext) -> None``. Steps run in ``INSTALLED_APPS`` order, each in its own
transaction, and must be idempotent: running ``make demo`` again reuses what exists.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType

from django.apps import apps
from django.db import transaction

DEMO_PASSWORD = "saima-demo-2026"


@dataclass
class DemoLogin:
    role: str
    username: str
    password: str
    scope: str


@dataclass
class DemoContext:
    say: Callable[[str], None]
    logins: list[DemoLogin] = field(default_factory=list)
    seed: int = 20260101


def demo_modules() -> list[ModuleType]:
    modules: list[ModuleType] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("saima."):
            continue
        try:
            modules.append(importlib.import_module(f"{config.name}.demo"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
    return modules


def load_demo(say: Callable[[str], None]) -> DemoContext:
    ctx = DemoContext(say=say)
    for module in demo_modules():
        loader = getattr(module, "load", None)
        if loader is None:
            continue
        with transaction.atomic():
            loader(ctx)
    return ctx
