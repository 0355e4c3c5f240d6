"""Section builders: each mechanism's part of a bulletin, read from its published results.

A builder takes the bulletin's ``Scope`` and returns the sections it has to say, or none when
there is nothing published for that quarter or year (a bulletin never carries an empty
heading). Builders run in ``BUILDERS`` order; ``build_content`` numbers the headings 一、二、…
The bulletins app sits above the mechanism apps (import-linter), so builders read each app's
selectors directly; an app that lands later adds its module here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from saima.bulletins.content import Content, Section, ordinal
from saima.org.models import Unit


@dataclass(frozen=True)
class Scope:
    unit: Unit  # the issuing office's unit: its races, its subtree's projects, …
    kind: str  # "quarterly" | "annual"
    year: int
    quarter: int | None  # 1–4 for a quarterly bulletin


Builder = Callable[[Scope], list[Section]]


def builders() -> list[tuple[str, Builder]]:
    from saima.bulletins.sections import arena, conduct, projects, races, safeguards

    return [
        ("races", races.build),
        ("projects", projects.build),
        ("arena", arena.build),
        ("conduct", conduct.build),
        ("safeguards", safeguards.build),
    ]


def build_content(scope: Scope, progress: Callable[[int, str], None] | None = None) -> Content:
    """Every builder's sections, headings numbered; ``progress(done, key)`` after each builder."""
    sections: list[Section] = []
    steps = builders()
    for done, (key, build) in enumerate(steps, start=1):
        sections += build(scope)
        if progress is not None:
            progress(done * 100 // len(steps), key)
    numbered = [
        replace(section, heading=f"{ordinal(i)}、{section.heading}")
        for i, section in enumerate(sections)
    ]
    return Content(sections=numbered)
